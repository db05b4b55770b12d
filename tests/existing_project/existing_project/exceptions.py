from rest_framework.views import exception_handler


def custom_exception_handler(exc, context):
    """DRF's handler, plus the status code in the body (the mobile app reads it)."""
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict):
        response.data["status_code"] = response.status_code
    return response
