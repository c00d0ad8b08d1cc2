"""What the API reads exactly as its schema says: amounts in 万元 and the list's pages. A value the schema
refuses is refused (400 in Chinese), never quietly read some other way."""

import base64
import json
import re
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q
from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.relations import PKOnlyObject
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

from .errors import InvalidInput

AMOUNT_MAX = Decimal("999999999999.99")
AMOUNT_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": AMOUNT_PATTERN, "example": "150.00"},
            {"type": "number", "minimum": 0, "maximum": float(AMOUNT_MAX), "multipleOf": 0.01},
        ],
        "description": "万元，至多两位小数；字符串或数字",
    }
)
class AmountField(serializers.DecimalField):
    """An amount in 万元: a string of digits with at most two decimals, or a JSON number of that value. Not an
    exponent, not blanks around it, not a negative sign."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid", "须为不小于0、至多两位小数的金额（万元），如 150.00。")
        super().__init__(
            max_digits=14, decimal_places=2, min_value=Decimal(0), max_value=AMOUNT_MAX, **kwargs
        )

    def to_internal_value(self, data):
        text = isinstance(data, str)
        if (
            isinstance(data, bool)
            or (text and not re.fullmatch(AMOUNT_PATTERN, data))
            or (not text and (_from_text(self) or not isinstance(data, int | float)))
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


def _count(request, name: str, default, minimum: int, maximum: int | None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if not re.fullmatch(r"[0-9]{1,9}", raw):
        raise InvalidInput(f"{name} 须为整数。", extra={"errors": {name: ["须为整数。"]}})
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"{minimum}至{maximum}之间" if maximum is not None else f"不小于{minimum}"
        raise InvalidInput(f"{name} 须在{bound}。", extra={"errors": {name: [f"须在{bound}。"]}})
    return value


class Pagination(LimitOffsetPagination):
    """`limit` (1 to 200, 50 by default) and `offset` (0 on): a value out of range is a 400, not the default."""

    max_limit = 200

    def get_limit(self, request):
        return _count(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return _count(request, self.offset_query_param, 0, 0, None)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": 999_999_999},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class KeysetPagination(Pagination):
    """A list of any length at the cost of one page (API.md, *Lists*): the response keeps the shape of the other
    lists (`count`, `next`, `previous`, `results`), but `next` is a keyset cursor (`cursor=…`) that continues
    after the page's last row by the view's index (`keyset`: two fields, newest first) instead of an offset the
    database must count up to, and `count` counts at most `count_cap` rows: `count_exact` is false when there
    are more. `offset` is still read (without a cursor) for the clients that page by it."""

    cursor_query_param = "cursor"
    count_cap = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.limit = self.get_limit(request)
        first, second = view.keyset
        counted = queryset.order_by()[: self.count_cap + 1].count()
        self.count_exact = counted <= self.count_cap
        self.count = min(counted, self.count_cap)
        raw = request.query_params.get(self.cursor_query_param)
        if raw:
            after_first, after_second = self._decode(raw, queryset.model._meta.get_field(first))
            queryset = queryset.filter(**{f"{first}__lte": after_first}).filter(
                Q(**{f"{first}__lt": after_first}) | Q(**{f"{second}__lt": after_second})
            )
            self.offset = None
            rows = list(queryset[: self.limit + 1])
        else:
            self.offset = self.get_offset(request)
            rows = list(queryset[self.offset : self.offset + self.limit + 1])
        self.has_next = len(rows) > self.limit
        rows = rows[: self.limit]
        self.next_cursor = (
            self._encode(getattr(rows[-1], first), getattr(rows[-1], second)) if self.has_next else None
        )
        return rows

    @staticmethod
    def _encode(first, second) -> str:
        raw = json.dumps([first.isoformat() if hasattr(first, "isoformat") else first, second])
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def _decode(self, token: str, field):
        refused = InvalidInput(
            "cursor 无效：请使用上一页返回的 next 链接。", extra={"errors": {"cursor": ["无效的分页游标。"]}}
        )
        try:
            first, second = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            if not isinstance(second, int) or isinstance(second, bool):
                raise refused
            value = field.to_python(first)
            if value is None:
                raise refused
            return value, second
        except (ValueError, TypeError, UnicodeDecodeError, ValidationError):
            raise refused from None

    def get_next_link(self):
        if self.next_cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.offset_query_param)
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_previous_link(self):
        return None if self.offset is None else super().get_previous_link()

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "count_exact": self.count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        body = super().get_paginated_response_schema(schema)
        body["required"] = ["count", "count_exact", "results"]
        body["properties"]["count"]["description"] = f"符合条件的数量，至多计到 {self.count_cap}"
        body["properties"] = {
            "count": body["properties"]["count"],
            "count_exact": {
                "type": "boolean",
                "description": f"false：多于 {self.count_cap} 个，count 为下限",
            },
            **{k: v for k, v in body["properties"].items() if k != "count"},
        }
        return body

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "分页游标：上一页 next 链接中的值（与 offset 不同时使用）",
                "schema": {"type": "string", "maxLength": 200},
            }
        )
        return parameters


# ---- input fields typed as the schema types them -----------------------------------------------------------
# DRF reads leniently (a number for a string, "1" or "yes" for a boolean, "2027" for an integer in JSON); the
# API's input serializers use these instead, so that what the schema refuses is refused. In a form or
# multipart body, and in a query string, every value is text: there an integer is its digits and a boolean
# `true` or `false` (API.md, *Actions*).


def _from_text(field) -> bool:
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


ID_MAX = 2**31 - 1  # a record's id: PostgreSQL's integer


def id_field(**kwargs) -> "IntegerField":
    """A record's id (an organisation, a project, a letter)."""
    return IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class _SentEmpty:
    """In a form or multipart body a value sent empty is that value, refused where the schema refuses it (DRF
    would take it for absent); in a query string (a serializer with `from_query`) it is absent, as the schema's
    `allowEmptyValue` says."""

    def get_value(self, dictionary):
        if (
            isinstance(dictionary, QueryDict)
            and not getattr(self.root, "from_query", False)
            and dictionary.get(self.field_name) == ""
        ):
            return ""
        return super().get_value(dictionary)


class CharField(_SentEmpty, serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class IntegerField(_SentEmpty, serializers.IntegerField):
    def to_internal_value(self, data):
        if _from_text(self):
            if not isinstance(data, str) or not re.fullmatch(r"-?[0-9]{1,18}", data):
                self.fail("invalid")
        elif isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, float) and data.is_integer())
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


class BooleanField(_SentEmpty, serializers.BooleanField):
    TEXT = {"true": True, "false": False}

    def to_internal_value(self, data):
        if _from_text(self) and isinstance(data, str):  # (a box left out of a form is False already)
            if data not in self.TEXT:
                self.fail("invalid", input=data)
            return self.TEXT[data]
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class ChoiceField(_SentEmpty, serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class DateField(_SentEmpty, serializers.DateField):
    """A date as YYYY-MM-DD (RFC 3339 full-date), nothing looser."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


class ChoiceLabelField(serializers.CharField):
    """The label of a choice column (`source` names the column): what `get_FOO_display()` gives, from a dict
    built once (Django's method hashes the field's every choice on each call)."""

    def __init__(self, choices, **kwargs):
        self.labels = {value: str(label) for value, label in choices}
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return self.labels.get(value, value)


class ColumnListSerializer(serializers.ListSerializer):
    """`many=True` for a read-only serializer of model rows: DRF's output, field for field, at a fraction of its
    cost. A field read straight from one of the model's own columns is read with `getattr`; every other field
    (a method, a nested serializer, a SerializerMethodField) is read exactly as DRF reads it. DRF's per-field
    `get_attribute` (the source's traversal, and `inspect.signature` on each value to see whether to call it)
    and its per-value timezone lookup are most of a list's time. A value is shaped by the field's own
    `to_representation`, except the plain cases `_representer` writes out."""

    def to_representation(self, data):
        rows = data.all() if hasattr(data, "all") else data
        plan = [(f, _column(self.child, f), _representer(f)) for f in self.child._readable_fields]
        return [self._row(row, plan) for row in rows]

    @staticmethod
    def _row(row, plan) -> dict:
        item = {}
        for field, attname, represent in plan:
            if attname is not None:
                value = getattr(row, attname)
            else:
                try:
                    value = field.get_attribute(row)
                except SkipField:
                    continue
                if isinstance(value, PKOnlyObject):
                    value = value if value.pk is not None else None
            item[field.field_name] = None if value is None else represent(value)
        return item


def _representer(field):
    """`field.to_representation`, or for a field of DRF's own plain types the same result without its
    per-value work: a str, an int, a bool as they are; an aware datetime in the zone DRF would take (looked
    up once per list, not once per value) as ISO 8601 with `Z` for UTC."""
    kind = type(field)
    shape = field.to_representation
    if kind is serializers.CharField:
        return lambda value: value if type(value) is str else shape(value)
    if kind is serializers.IntegerField:
        return lambda value: value if type(value) is int else shape(value)
    if kind is serializers.BooleanField:
        return lambda value: value if type(value) is bool else shape(value)
    if (
        kind is serializers.DateTimeField
        and getattr(field, "format", api_settings.DATETIME_FORMAT) == ISO_8601
    ):
        zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
        if zone is not None:
            return lambda value: _iso(value, zone) if _aware(value) else shape(value)
    return shape


def _aware(value) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


def _iso(value, zone) -> str:
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _column(serializer, field) -> str | None:
    """The attribute name of the model column `field` reads, or None when it reads anything else."""
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or len(field.source_attrs) != 1:
        return None
    try:
        model_field = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None
    return model_field.attname if model_field.concrete and not model_field.is_relation else None
