"""A TypedModelViewSet on a model with no ``updated_at`` (Django's ``Group``)."""

from django.contrib.auth.models import Group
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from django_typed_api.viewsets import TypedModelViewSet


class GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "name"]


class GroupViewSet(TypedModelViewSet):
    queryset = Group.objects.order_by("id")
    serializer_class = GroupSerializer


router = SimpleRouter()
router.register("api/groups", GroupViewSet)


class OwnGroupViewSet(TypedModelViewSet):
    """No ``queryset`` attribute: only ``get_queryset()``, as many projects write it."""

    serializer_class = GroupSerializer

    def get_queryset(self):
        return Group.objects.order_by("id")


router.register("api/own-groups", OwnGroupViewSet, basename="own-group")
urlpatterns = router.urls
