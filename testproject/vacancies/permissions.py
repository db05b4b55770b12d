from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request


class ClosedVacanciesStaffOnlyDelete(BasePermission):
    """A closed vacancy is kept for the record: only staff may delete it.

    Gives the demo (and the browser tests) a delete the server really refuses with a 403 for
    a signed-in user, which the front end must roll back.
    """

    message = "Closed vacancies are kept for the record: only staff can delete them."

    def has_object_permission(self, request: Request, view, obj) -> bool:
        if request.method in SAFE_METHODS or request.method != "DELETE":
            return True
        return obj.status != "closed" or bool(request.user and request.user.is_staff)
