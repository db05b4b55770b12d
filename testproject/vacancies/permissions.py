from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request


class ClosedVacanciesStaffOnlyDelete(BasePermission):
    """A closed vacancy is kept for the record: only staff may delete it, or reopen it.

    Reopening is refused too, or the rule would be two requests away from useless (reopen,
    then delete). Gives the demo (and the browser tests) a delete the server really refuses
    with a 403 for a signed-in user, which the front end must roll back.
    """

    message = "Closed vacancies are kept for the record: only staff can delete them."
    reopen_message = "Closed vacancies are kept for the record: only staff can reopen them."

    def has_object_permission(self, request: Request, view, obj) -> bool:
        if request.method in SAFE_METHODS or obj.status != "closed":
            return True
        if request.user and request.user.is_staff:
            return True
        if request.method == "DELETE":
            return False
        data = request.data
        status = data.get("status", obj.status) if hasattr(data, "get") else obj.status
        if status != "closed":
            self.message = self.reopen_message
            return False
        return True
