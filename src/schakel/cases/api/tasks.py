"""Tasks: yours across your cases, and a case's tasks."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from schakel.accounts.permissions import can
from schakel.api.actor import actor_of

from .. import selectors, services
from ..display import task_title
from ..models import Task
from ._common import (
    EDIT_ERRORS,
    NOT_FOUND,
    WRITE_ERRORS,
    PersonRefSerializer,
    VersionSerializer,
    _case,
    _manage,
    _member_membership,
    _one_of,
    _valid,
    _who,
)


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = _one_of(Task.Kind.choices)
    title = serializers.SerializerMethodField()
    description = serializers.CharField()
    owner = serializers.SerializerMethodField()
    due_on = serializers.DateField()
    overdue = serializers.BooleanField()
    status = _one_of(Task.Status.choices)
    checklist = serializers.DictField(child=serializers.BooleanField())
    meeting = serializers.IntegerField(source="meeting_id", allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()

    def get_title(self, task) -> str:
        return task_title(task)

    def get_owner(self, task) -> PersonRefSerializer:
        return _who(task.owner)


class MyTaskSerializer(TaskSerializer):
    case = serializers.UUIDField(source="case.public_id")
    case_reference = serializers.CharField(source="case.reference")


class TaskCreateSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    owner = serializers.IntegerField(help_text="The id of a member of the case.")
    due_on = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    meeting = serializers.IntegerField(required=False, allow_null=True, default=None)


class TaskPatchSerializer(VersionSerializer):
    status = _one_of(Task.Status.choices, required=False)
    checklist = serializers.DictField(child=serializers.BooleanField(), required=False)
    due_on = serializers.DateField(required=False)
    owner = serializers.IntegerField(required=False, help_text="The id of a member of the case.")


class MyTasksView(APIView):
    @extend_schema(
        operation_id="cases_my_tasks",
        summary="Your open tasks in your cases, overdue first",
        responses={200: MyTaskSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request):
        actor = actor_of(request)
        if not can(actor, "case.view"):
            raise Http404
        tasks = selectors.my_tasks_for(actor=actor)
        return Response(MyTaskSerializer(tasks, many=True).data)


class TaskListView(APIView):
    @extend_schema(
        operation_id="cases_tasks_list",
        summary="Tasks of the case, open ones first",
        responses={200: TaskSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request, public_id):
        case = _case(request, public_id)
        tasks = selectors.tasks_for(actor=actor_of(request), case=case)
        return Response(TaskSerializer(tasks, many=True).data)

    @extend_schema(
        operation_id="cases_tasks_create",
        summary="Make an agreement a task (lead or backup)",
        request=TaskCreateSerializer,
        responses={201: TaskSerializer, **WRITE_ERRORS},
    )
    def post(self, request, public_id):
        actor = actor_of(request)
        case = _case(request, public_id)
        _manage(case)
        data = _valid(TaskCreateSerializer, request)
        owner = _member_membership(actor, case, data.pop("owner"), "owner")
        meeting = None
        if data["meeting"] is not None:
            try:
                meeting = selectors.meeting_get_for(actor=actor, case=case, pk=data["meeting"])
            except Http404:
                raise ValidationError({"meeting": _("Kies een overleg van deze casus.")}) from None
        data["meeting"] = meeting
        task = services.task_create(actor=actor, case=case, owner=owner, **data)
        task = selectors.task_get_for(actor=actor, case=case, pk=task.pk)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskDetailView(APIView):
    @extend_schema(
        operation_id="cases_tasks_retrieve",
        summary="One task",
        responses={200: TaskSerializer, **NOT_FOUND},
    )
    def get(self, request, public_id, pk):
        case = _case(request, public_id)
        task = selectors.task_get_for(actor=actor_of(request), case=case, pk=pk)
        return Response(TaskSerializer(task).data)

    @extend_schema(
        operation_id="cases_tasks_partial_update",
        summary="Update status or checklist (owner, lead, backup); due date, owner (lead, backup)",
        request=TaskPatchSerializer,
        responses={200: TaskSerializer, **EDIT_ERRORS},
    )
    def patch(self, request, public_id, pk):
        actor = actor_of(request)
        case = _case(request, public_id)
        task = selectors.task_get_for(actor=actor, case=case, pk=pk)
        data = _valid(TaskPatchSerializer, request)
        version = data.pop("version")
        if "owner" in data:
            data["owner"] = _member_membership(actor, case, data["owner"], "owner")
        services.task_update(
            actor=actor,
            case=case,
            task=task,
            expected_version=version,
            **data,
        )
        task = selectors.task_get_for(actor=actor, case=case, pk=pk)
        return Response(TaskSerializer(task).data)
