from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """Adds e-mail, name and the test user's school/role/CVR claims to the ID token."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "email": "email",
        "name": "profile",
        "school": "profile",
        "school_role": "profile",
        "cvr": "profile",
    }

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": user.get_full_name(),
            **settings.TEST_CLAIMS.get(user.username, {}),
        }
