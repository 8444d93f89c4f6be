from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    """The deployment's identity, for the layout."""
    return {
        "deployment": {
            "name": settings.SITE_NAME,
            "owner": settings.SITE_OWNER,
            "logo": settings.SITE_LOGO,
            "contact_email": settings.SITE_CONTACT_EMAIL,
            "contact_phone": settings.SITE_CONTACT_PHONE,
            "contact_address": settings.SITE_CONTACT_ADDRESS,
            "hours": settings.SITE_HOURS,
        }
    }
