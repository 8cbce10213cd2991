"""Schema components every app's API shares: the problem+json body of an error."""

from rest_framework import serializers


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField()
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, as written by schakel.api.problems."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    invalid_params = InvalidParamSerializer(many=True, required=False)
    current_version = serializers.IntegerField(
        required=False, help_text="With 409: the version that is stored now."
    )
