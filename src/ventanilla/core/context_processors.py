from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def site(request: HttpRequest) -> dict[str, Any]:
    """The deployment's identity, for the layout, in the page's language where it has one."""
    english = get_language() == "en"
    return {
        "deployment": {
            "name": settings.SITE_NAME,
            "owner": (english and settings.SITE_OWNER_EN) or settings.SITE_OWNER,
            "logo": settings.SITE_LOGO,
            "contact_email": settings.SITE_CONTACT_EMAIL,
            "contact_phone": settings.SITE_CONTACT_PHONE,
            "contact_address": settings.SITE_CONTACT_ADDRESS,
            "hours": (english and settings.SITE_HOURS_EN) or settings.SITE_HOURS,
            "source_code_url": settings.SOURCE_CODE_URL,
        }
    }
