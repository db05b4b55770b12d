"""A serializer whose ``SerializerMethodField`` has no type hint: drf-spectacular warns and
documents it as ``string`` although it returns an ``int``."""

from django.contrib.auth.models import Group
from rest_framework import serializers
from rest_framework.routers import SimpleRouter

from django_typed_api.viewsets import TypedReadOnlyModelViewSet


class GroupSerializer(serializers.ModelSerializer):
    member_count = serializers.SerializerMethodField()

    class Meta:
        model = Group
        fields = ["id", "name", "member_count"]

    def get_member_count(self, group):
        return group.user_set.count()


class GroupViewSet(TypedReadOnlyModelViewSet):
    queryset = Group.objects.order_by("id")
    serializer_class = GroupSerializer


router = SimpleRouter()
router.register("api/groups", GroupViewSet)
urlpatterns = router.urls
