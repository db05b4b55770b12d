"""The OpenAPI side: everything that decides what the schema says.

- :mod:`.schema`: ``TypedAutoSchema``, composed in one visible place from the mixins below;
- :mod:`.operations`: operationIds, summaries, descriptions (rules in :mod:`..naming`);
- :mod:`.errors`: the error envelope per operation (statuses from :mod:`..errors.catalogue`);
- :mod:`.security`: bearer auth and public operations; :mod:`.auth`: the JWT endpoints;
- :mod:`.conditional`: ``If-Match`` and ``ETag``; :mod:`.strings`: the not-blank pattern;
- :mod:`.enums`: deterministic enum component names (a postprocessing hook);
- :mod:`.generation`: generating and rendering the schema; :mod:`.views`: the cached
  schema endpoint and the docs UIs.
"""

from .schema import TypedAutoSchema

__all__ = ["TypedAutoSchema"]
