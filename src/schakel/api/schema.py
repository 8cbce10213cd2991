"""The OpenAPI schema: our authentication classes, and the problems any operation can give."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class HashedTokenScheme(OpenApiAuthenticationExtension):
    target_class = "schakel.api.authentication.HashedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token from `manage.py api_token EMAIL`: `Authorization: Bearer sk_…`",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "schakel.api.authentication.VerifiedSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "schakel_session"}


# Answers any operation can give before or around its view (see schakel.api.problems): a
# parameter with a control character, a bad token, an Accept header we cannot serve, an id that
# does not match or is not visible, a body too large or of another media type.
_PROBLEMS = {
    "400": "Invalid input: a field or parameter is named in `invalid_params`.",
    "401": "No valid token or session.",
    "404": "Not found, or not visible to you.",
    "406": "The Accept header allows no JSON.",
    "413": "The body is larger than the limit (docs/operations.md).",
    "415": "The body is of a media type this operation does not read.",
}


def document_problems(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the problem+json answers every operation
    can give, once, as shared responses, where the operation does not describe them itself."""
    responses = result.setdefault("components", {}).setdefault("responses", {})
    for code, description in _PROBLEMS.items():
        responses[f"Problem{code}"] = {
            "description": description,
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            codes = ["400", "401", "406"]
            if "{" in path:
                codes.append("404")
            if "requestBody" in operation:
                codes += ["413", "415"]
            for code in codes:
                operation["responses"].setdefault(
                    code, {"$ref": f"#/components/responses/Problem{code}"}
                )
    return result
