"""The structured editor of a service version, generated from `ServiceDefinition`'s schema.

The editor walks the Pydantic models: a `Text` becomes two inputs (Spanish and English), a
number or a string an input, an enum or a literal a select, a bool a checkbox, a list of enum
values checkboxes, a nested model a fieldset, a list of models a group of fieldsets that grow
and shrink with submit buttons (no JavaScript needed). A field added to the schema appears here
without touching this module; `LABELS` only gives it a human name.

`editor_nodes` turns a definition (possibly incomplete: a draft) into a tree of nodes to render;
`editor_data` turns what a browser posted back into the definition's dict; `editor_errors` puts
Pydantic's errors, in words, on the node they belong to.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Literal, Union

import annotated_types
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel
from pydantic import ValidationError as SchemaError
from pydantic.fields import FieldInfo

from ventanilla.catalog.effects import effect_for, effect_keys
from ventanilla.catalog.fields.registry import field_kinds
from ventanilla.catalog.schema import (
    Action,
    FieldType,
    Filer,
    FormField,
    OwnerKind,
    RoleName,
    ServiceDefinition,
    TermUnit,
    Text,
    VisibleIf,
)

SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark
ROWS = "__rows"  # the hidden input that says how many rows a list has

# Human names of the schema's fields. `Model.field` wins over `field` where one name means
# different things in different models. A name missing here reads as its description or its
# own words; tests/catalog/test_editor.py keeps this map complete.
LABELS: dict[str, str | Promise] = {
    "title": _("Título"),
    "summary": _("Resumen"),
    "description": _("Descripción"),
    "who_may_ask": _("Quién puede pedirlo"),
    "steps": _("Pasos"),
    "legal_basis": _("Norma"),
    "faq": _("Preguntas frecuentes"),
    "question": _("Pregunta"),
    "answer": _("Respuesta"),
    "keywords": _("Otras palabras para buscarlo"),
    "fee": _("Costo"),
    "Fee.amount": _("Valor en pesos (0 si es gratis)"),
    "currency": _("Moneda"),
    "note": _("Nota sobre el costo"),
    "term": _("Plazo para responder"),
    "Term.amount": _("Cantidad"),
    "unit": _("Unidad"),
    "filers": _("Quién puede radicar"),
    "documents": _("Documentos"),
    "key": _("Clave"),
    "name": _("Nombre"),
    "kind": _("Tipo de documento (reutilizable)"),
    "StageOwner.kind": _("Quién la atiende"),
    "Certificate.kind": _("Tipo de documento que expide"),
    "accepted_types": _("Formatos aceptados"),
    "max_size_mb": _("Tamaño máximo (MB)"),
    "mandatory": _("Obligatorio"),
    "max_files": _("Cuántos archivos puede adjuntar"),
    "form": _("Formulario"),
    "sections": _("Secciones"),
    "fields": _("Preguntas"),
    "type": _("Tipo de respuesta"),
    "label": _("Nombre"),
    "FormField.label": _("Pregunta"),
    "Choice.label": _("Texto de la opción"),
    "help": _("Ayuda"),
    "required": _("Obligatoria"),
    "min": _("Mínimo (número o largo)"),
    "max": _("Máximo (número o largo)"),
    "pattern": _("Patrón (expresión regular)"),
    "pattern_message": _("Mensaje si no cumple el patrón"),
    "choices": _("Opciones"),
    "value": _("Valor"),
    "visible_if": _("Condición para mostrarla"),
    "field": _("Pregunta de la que depende"),
    "equals": _("Se muestra si la respuesta es"),
    "one_of": _("Se muestra si la respuesta es una de"),
    "document": _("Documento que se adjunta"),
    "id_types": _("Tipos de documento de identidad que se aceptan"),
    "workflow": _("Flujo de trabajo"),
    "stages": _("Etapas"),
    "citizen_label": _("Lo que lee la ciudadanía"),
    "owner": _("Responsable"),
    "dependency": _("Código de la dependencia"),
    "term_days": _("Días para esta etapa"),
    "terminal": _("Etapa final"),
    "actions": _("Acciones"),
    "from_stages": _("Desde las etapas"),
    "to_stage": _("Hacia la etapa"),
    "roles": _("Quién puede hacerla"),
    "effect": _("Efecto"),
    "comment_required": _("Pide un comentario"),
    "drafter_may_approve": _("Quien proyecta la respuesta también puede firmarla"),
    "templates": _("Plantillas de respuesta"),
    "body": _("Texto de la plantilla"),
    "certificate": _("Certificado que se expide"),
    "valid_days": _("Días de vigencia"),
}

# What one row of a list is called: "Añadir pregunta", "Pregunta 3".
ITEMS: dict[str, str | Promise] = {
    "steps": _("Paso"),
    "faq": _("Pregunta frecuente"),
    "documents": _("Documento"),
    "sections": _("Sección"),
    "fields": pgettext_lazy("del formulario", "Pregunta"),
    "choices": _("Opción"),
    "stages": _("Etapa"),
    "actions": _("Acción"),
    "templates": _("Plantilla"),
}

# Help under an input, where the name alone does not say enough.
HELP: dict[str, str | Promise] = {
    "key": _("Minúsculas, números y _; empieza por una letra. No la cambie si ya hay casos."),
    "Choice.value": _("Minúsculas, números y _: es lo que se guarda como respuesta."),
    "keywords": _("Separadas por comas; ayudan a encontrar el servicio en la búsqueda."),
    "equals": _("Para una pregunta de sí o no, escriba true (sí) o false (no)."),
    "one_of": _("Valores de las opciones, separados por comas. Use esto o lo anterior."),
    "from_stages": _(
        "Las etapas nuevas aparecen aquí al guardar o al pulsar cualquier botón de añadir o quitar."
    ),
    "to_stage": _(
        "Las etapas nuevas aparecen aquí al guardar o al pulsar cualquier botón de añadir o quitar."
    ),
    "document": _(
        "Para una pregunta de tipo archivo adjunto. Los documentos nuevos aparecen aquí al "
        "guardar o al pulsar cualquier botón de añadir o quitar."
    ),
    "VisibleIf.field": _("Una pregunta anterior a esta."),
    "visible_if": _("Déjela vacía para mostrar siempre la pregunta."),
    "certificate": _("Déjelo vacío si el servicio responde con una carta."),
    "dependency": _("Solo si la dependencia es fija."),
    "body": _("Texto de plantilla de Django; el caso está en case."),
    "kind": _("Por ejemplo identity_document: la carpeta de la persona lo reutiliza."),
}

# Texts that take a paragraph or more get a text area.
LONG_TEXTS = {"description", "who_may_ask", "answer", "body", "legal_basis", "summary"}

OPTION_LABELS: dict[Any, str | Promise] = {
    TermUnit.BUSINESS_DAYS: _("días hábiles"),
    TermUnit.CALENDAR_DAYS: _("días calendario"),
    TermUnit.MONTHS: _("meses"),
    Filer.CITIZEN: _("persona con cuenta"),
    Filer.GUEST: _("invitado con correo verificado"),
    Filer.ANONYMOUS: _("anónimo"),
    OwnerKind.SERVICE: _("la dependencia dueña del servicio"),
    OwnerKind.SERVICE_POINT: _("la del punto de atención elegido"),
    OwnerKind.CHOSEN_AT_FILING: _("la que se elige al radicar"),
    OwnerKind.FIXED: _("una fija (escriba su código)"),
    RoleName.VIEWER: _("consulta"),
    RoleName.HANDLER: _("gestión"),
    RoleName.APPROVER: _("aprobación"),
    RoleName.SUPERVISOR: _("supervisión"),
    RoleName.ADMINISTRATOR: _("administración"),
    RoleName.CITIZEN: _("el ciudadano"),
    RoleName.SYSTEM: _("la plataforma"),
    FieldType.SHORT_TEXT: _("texto corto"),
    FieldType.LONG_TEXT: _("texto largo"),
    FieldType.NUMBER: _("número"),
    FieldType.DATE: _("fecha"),
    FieldType.EMAIL: _("correo electrónico"),
    FieldType.PHONE: _("teléfono"),
    FieldType.CHOICE: _("una opción de una lista"),
    FieldType.MULTI_CHOICE: _("varias opciones de una lista"),
    FieldType.YES_NO: _("sí o no"),
    FieldType.ID_DOCUMENT: _("documento de identidad"),
    FieldType.ADDRESS: _("dirección"),
    FieldType.FILE: _("archivo adjunto"),
}


def _field_kind_options(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(name, _option_label(name)) for name in sorted(field_kinds())]


def _effect_options(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(key, f"{effect_for(key).label}") for key in effect_keys()]


def _keys(items: Any, nested: str | None = None) -> list[str]:
    rows = items if isinstance(items, list) else []
    if nested is not None:
        rows = [r for row in rows if isinstance(row, dict) for r in row.get(nested) or []]
    return [row["key"] for row in rows if isinstance(row, dict) and row.get("key")]


def _stage_options(data: dict[str, Any]) -> list[tuple[str, str]]:
    workflow = data.get("workflow") if isinstance(data.get("workflow"), dict) else {}
    return [(key, key) for key in _keys((workflow or {}).get("stages"))]


def _document_options(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(key, key) for key in _keys(data.get("documents"))]


def _question_options(data: dict[str, Any]) -> list[tuple[str, str]]:
    form = data.get("form") if isinstance(data.get("form"), dict) else {}
    return [(key, key) for key in _keys((form or {}).get("sections"), nested="fields")]


# Strings whose valid values are registered or named elsewhere in the definition: a select.
OPTIONS = {
    (FormField, "type"): _field_kind_options,
    (Action, "effect"): _effect_options,
    (Action, "from_stages"): _stage_options,
    (Action, "to_stage"): _stage_options,
    (FormField, "document"): _document_options,
    (VisibleIf, "field"): _question_options,
}


def _option_label(value: Any) -> str:
    for known, label in OPTION_LABELS.items():
        if known == value:
            return str(label)
    return str(value)


def field_label(model: type[BaseModel], name: str, info: FieldInfo | None = None) -> str:
    """The human name of `model.name`: from `LABELS`, else its description, else its words."""
    label = LABELS.get(f"{model.__name__}.{name}", LABELS.get(name))
    if label is not None:
        return str(label)
    if info is not None and info.description:
        return info.description
    return name.replace("_", " ").capitalize()


def html_id(path: str) -> str:
    """The id of the input (or fieldset) at `path`: `ed-form-sections-0-key` for
    `form.sections.0.key`."""
    return "ed-" + path.replace(".", "-")


@dataclass
class Node:
    """One thing the editor shows: an input, a pair of inputs, a fieldset or a list of them."""

    kind: str  # text, bilingual, select, checkbox, checkboxes, group, list
    path: str  # the dotted path in the definition, also the input's name
    label: str
    trail: str  # the labels from the top, for the error summary
    required: bool = False
    help: str = ""
    value: Any = None
    long: bool = False
    numeric: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    optional: bool = False  # a nested model that may be absent
    present: bool = True
    item: str = ""  # a list's row name
    add_label: str = ""
    next_anchor: str = ""
    up_anchor: str = ""  # a row: where it lands when moved up (empty for the first)
    down_anchor: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return html_id(self.path)

    @property
    def error_id(self) -> str:
        return self.id + "--error"  # "--": no path gives it, so no input has this id

    @property
    def help_id(self) -> str:
        return self.id + "--help"

    @property
    def describedby(self) -> str:
        ids = [self.error_id] if self.errors else []
        if self.help:
            ids.append(self.help_id)
        return " ".join(ids)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(child.has_errors for child in self.children)

    def walk(self) -> typing.Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


# --- The schema, read ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """What a field's annotation means to the editor."""

    kind: str  # text, bool, enum, model, list_model, list_enum, list_str
    optional: bool
    model: type[BaseModel] = BaseModel  # of a model, or of a list's rows
    options: tuple[Any, ...] = ()
    numeric: bool = False
    accepts_bool: bool = False


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _enum_values(annotation: Any) -> tuple[Any, ...] | None:
    annotation = _strip(annotation)
    if typing.get_origin(annotation) is Literal:
        return typing.get_args(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return tuple(member.value for member in annotation)
    return None


def shape_of(annotation: Any) -> Shape:
    """The editor's reading of a type annotation."""
    annotation = _strip(annotation)
    optional = False
    if typing.get_origin(annotation) in (Union, types.UnionType):
        members = [_strip(a) for a in typing.get_args(annotation)]
        optional = type(None) in members
        members = [a for a in members if a is not type(None)]
        if len(members) > 1:  # e.g. str | bool: typed as text, true/false read as yes/no
            return Shape("text", optional, accepts_bool=bool in members)
        annotation = members[0]
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        item = _strip(item)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return Shape("list_model", optional, model=item)
        values = _enum_values(item)
        if values is not None:
            return Shape("list_enum", optional, options=values)
        return Shape("list_str", optional)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Shape("model", optional, model=annotation)
    values = _enum_values(annotation)
    if values is not None:
        return Shape("enum", optional, options=values)
    if annotation is bool:
        return Shape("bool", optional)
    numeric = isinstance(annotation, type) and issubclass(annotation, int | float | Decimal)
    return Shape("text", optional, numeric=numeric)


def _bounds(info: FieldInfo) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge):
            bounds["min"] = item.ge
        if isinstance(item, annotated_types.Le):
            bounds["max"] = item.le
    return bounds


def _default(info: FieldInfo) -> Any:
    if info.is_required():
        return None
    value = info.get_default(call_default_factory=True, validated_data={})
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [v.value if isinstance(v, Enum) else v for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


# --- Definition → nodes -------------------------------------------------------------------------


def editor_nodes(definition: dict[str, Any]) -> list[Node]:
    """The nodes that show `definition` (a draft's dict, complete or not) for editing."""
    return _model_children(ServiceDefinition, definition, "", "", definition)


def _join(path: str, name: str | int) -> str:
    return f"{path}.{name}" if path else str(name)


def _trail(trail: str, label: str) -> str:
    return f"{trail}{SEPARATOR}{label}" if trail else label


def _model_children(
    model: type[BaseModel], data: Any, path: str, trail: str, root: dict[str, Any]
) -> list[Node]:
    values = data if isinstance(data, dict) else {}
    return [
        _node(model, name, info, values.get(name, _default(info)), path, trail, root)
        for name, info in model.model_fields.items()
    ]


def _node(
    model: type[BaseModel],
    name: str,
    info: FieldInfo,
    value: Any,
    path: str,
    trail: str,
    root: dict[str, Any],
) -> Node:
    label = field_label(model, name, info)
    here = _join(path, name)
    node = Node(
        kind="text",
        path=here,
        label=label,
        trail=_trail(trail, label),
        required=info.is_required(),
        help=str(HELP.get(f"{model.__name__}.{name}", HELP.get(name, ""))),
    )
    shape = shape_of(info.annotation)
    source = OPTIONS.get((model, name))
    if shape.kind == "model" and shape.model is Text:
        node.kind = "bilingual"
        node.long = name in LONG_TEXTS
        node.optional = shape.optional
        node.children = _text_children(
            value, here, node.trail, required=not shape.optional, long=node.long
        )
    elif shape.kind == "model":
        node.kind = "group"
        node.optional = shape.optional
        node.present = isinstance(value, dict)
        node.children = _model_children(shape.model, value, here, node.trail, root)
    elif shape.kind == "list_model":
        node.kind = "list"
        node.item = str(ITEMS.get(name, label))
        node.add_label = gettext("Añadir %(item)s") % {"item": node.item.lower()}
        rows = value if isinstance(value, list) else []
        node.children = [  # a row reads "Formulario, Sección 2", not "…, Secciones, …"
            _row(shape.model, row, _join(here, index), trail, node.item, index, root)
            for index, row in enumerate(rows)
        ]
        node.next_anchor = html_id(_join(here, len(rows)))
        for index, row in enumerate(node.children):
            if index > 0:
                row.up_anchor = html_id(_join(here, index - 1))
            if index < len(rows) - 1:
                row.down_anchor = html_id(_join(here, index + 1))
    elif shape.kind == "list_enum" or (
        shape.kind == "list_str" and source is not None and source(root)
    ):
        node.kind = "checkboxes"
        node.options = (
            source(root) if source else [(str(v), _option_label(v)) for v in shape.options]
        )
        chosen = [str(v) for v in value] if isinstance(value, list) else []
        node.options += [(v, v) for v in chosen if v not in dict(node.options)]
        node.value = chosen
    elif shape.kind == "list_str":
        node.value = ", ".join(str(v) for v in value) if isinstance(value, list) else ""
    elif shape.kind == "enum" or source is not None:
        node.kind = "select"
        options = source(root) if source else [(str(v), _option_label(v)) for v in shape.options]
        current = "" if value is None else str(value)
        if current and current not in dict(options):
            options.append((current, current))
        if shape.optional or not current:
            options.insert(0, ("", "—"))
        node.options = options
        node.required = not shape.optional  # a default is chosen, never an empty answer
        node.value = current
    elif shape.kind == "bool":
        node.kind = "checkbox"
        node.value = bool(value)
        node.required = False  # unchecked is an answer too
    else:
        node.numeric = shape.numeric
        if isinstance(value, bool):
            node.value = "true" if value else "false"
        else:
            node.value = "" if value is None else str(value)
        bounds = _bounds(info)
        if bounds and not node.help:
            node.help = _range_words(bounds)
    return node


def _range_words(bounds: dict[str, Any]) -> str:
    if "min" in bounds and "max" in bounds:
        return gettext("De %(min)s a %(max)s.") % bounds
    if "min" in bounds:
        return gettext("Al menos %(min)s.") % bounds
    return gettext("Como mucho %(max)s.") % bounds


def _text_children(
    value: Any, path: str, trail: str, *, required: bool, long: bool = False
) -> list[Node]:
    values = value if isinstance(value, dict) else {}
    return [
        Node(
            kind="text",
            path=_join(path, language),
            label=label,
            trail=_trail(trail, label),
            required=required,
            long=long,
            value=str(values.get(language) or ""),
        )
        for language, label in (("es", gettext("Español")), ("en", "English"))
    ]


def _row(
    model: type[BaseModel],
    data: Any,
    path: str,
    trail: str,
    item: str,
    index: int,
    root: dict[str, Any],
) -> Node:
    label = f"{item} {index + 1}"
    summary = _row_summary(data)
    row = Node(kind="group", path=path, label=label, trail=_trail(trail, label), value=summary)
    if model is Text:
        row.kind = "bilingual"
        row.children = _text_children(data, path, row.trail, required=True)
    else:
        row.children = _model_children(model, data, path, row.trail, root)
    return row


def _row_summary(data: Any) -> str:
    """A few words that tell one row from the next: its Spanish label, title or key."""
    if not isinstance(data, dict):
        return ""
    for name in ("label", "title", "name", "question"):
        text = data.get(name)
        if isinstance(text, dict) and text.get("es"):
            return str(text["es"])
    if "es" in data and isinstance(data["es"], str):
        return data["es"][:80]
    return str(data.get("key") or data.get("value") or "")


# --- What a browser posted → definition ---------------------------------------------------------


def editor_data(post: Any) -> dict[str, Any]:
    """The definition's dict as typed in the editor (`post` is a QueryDict), not validated."""
    return _model_data(ServiceDefinition, post, "")


def _model_data(model: type[BaseModel], post: Any, path: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        here = _join(path, name)
        shape = shape_of(info.annotation)
        source = OPTIONS.get((model, name))
        value: Any
        if shape.kind == "model" and shape.model is Text:
            value = _text_data(post, here)
            if shape.optional and not (value["es"] or value["en"]):
                continue
        elif shape.kind == "model":
            value = _model_data(shape.model, post, here)
            if shape.optional and not _typed(value):
                continue
        elif shape.kind == "list_model":
            count = _count(post, here)
            item_model = shape.model
            value = [
                _text_data(post, _join(here, i))
                if item_model is Text
                else _model_data(item_model, post, _join(here, i))
                for i in range(count)
            ]
            if shape.optional and not value:
                continue
        elif shape.kind == "list_enum" or (shape.kind == "list_str" and source is not None):
            # Checkboxes, or one text of comma-separated values while there is nothing to tick.
            value = [p.strip() for v in post.getlist(here) for p in v.split(",") if p.strip()]
        elif shape.kind == "list_str":
            value = [v.strip() for v in post.get(here, "").split(",") if v.strip()]
            if shape.optional and not value:
                continue
        elif shape.kind == "bool":
            value = post.get(here) == "on"
        else:
            value = post.get(here, "").strip()
            if value == "" and not info.is_required():
                continue
            if shape.accepts_bool and value in ("true", "false"):
                value = value == "true"
        data[name] = value
    return data


def _text_data(post: Any, path: str) -> dict[str, str]:
    return {language: post.get(_join(path, language), "").strip() for language in ("es", "en")}


MAX_ROWS = 500  # far more than any list of a real service; a forged count goes no further


def _count(post: Any, path: str) -> int:
    try:
        return min(max(0, int(post.get(_join(path, ROWS), "0"))), MAX_ROWS)
    except ValueError:
        return 0


def _typed(value: Any) -> bool:
    """Whether anything was typed in a nested model (checkboxes alone do not count)."""
    if isinstance(value, dict):
        return any(_typed(v) for v in value.values())
    if isinstance(value, list):
        return bool(value)
    return isinstance(value, str) and value != ""


def editor_change(
    data: dict[str, Any], *, add: str = "", remove: str = "", move: str = ""
) -> dict[str, Any]:
    """`data` with a row added at the end of the list at path `add`, the row at `remove` taken
    out, or the row at `move` ("path:up" or "path:down") swapped with its neighbour."""
    if move:
        row, _, direction = move.partition(":")
        *parent, last = row.split(".")
        target = _at(data, parent, create=False)
        if isinstance(target, list) and last.isdigit():
            index = int(last)
            other = index - 1 if direction == "up" else index + 1
            if min(index, other) >= 0 and max(index, other) < len(target):
                target[index], target[other] = target[other], target[index]
    if add:
        target = _at(data, add.split("."), create=True)
        if isinstance(target, list):
            target.append({})
    if remove:
        *parent, last = remove.split(".")
        target = _at(data, parent, create=False)
        if isinstance(target, list) and last.isdigit() and int(last) < len(target):
            del target[int(last)]
    return data


def _at(data: Any, parts: list[str], *, create: bool) -> Any:
    here = data
    for index, part in enumerate(parts):
        if isinstance(here, list) and part.isdigit() and int(part) < len(here):
            here = here[int(part)]
        elif isinstance(here, dict):
            if part not in here and create:
                here[part] = [] if index == len(parts) - 1 else {}
            here = here.get(part)
        else:
            return None
    return here


# --- Errors -------------------------------------------------------------------------------------

ERROR_WORDS: dict[str, str | Promise] = {
    "missing": _("Falta este dato."),
    "string_too_short": _("Escríbalo: no puede quedar vacío."),
    "string_too_long": _("Es demasiado largo."),
    "string_pattern_mismatch": _("Use minúsculas sin tildes, números y _, empezando por letra."),
    "int_parsing": _("Escriba un número entero."),
    "int_from_float": _("Escriba un número entero."),
    "decimal_parsing": _("Escriba un número."),
    "decimal_max_places": _("Use como mucho dos decimales."),
    "decimal_max_digits": _("El número es demasiado grande."),
    "too_short": _("Añada al menos uno."),
    "enum": _("Elija una de las opciones."),
    "literal_error": _("Elija una de las opciones."),
}


def _error_words(item: Any) -> str:
    kind = item["type"]
    context = item.get("ctx") or {}
    if kind == "greater_than_equal":
        return gettext("Debe ser al menos %(ge)s.") % {"ge": context.get("ge")}
    if kind == "less_than_equal":
        return gettext("Debe ser como mucho %(le)s.") % {"le": context.get("le")}
    if kind == "too_short" and context.get("min_length", 1) > 1:
        return gettext("Añada al menos %(n)s.") % {"n": context["min_length"]}
    if item.get("input") == "":
        return str(ERROR_WORDS["missing"])
    if kind in ERROR_WORDS:
        return str(ERROR_WORDS[kind])
    message = str(item["msg"])
    return message.removeprefix("Value error, ")


def editor_errors(nodes: list[Node], error: SchemaError) -> list[Node]:
    """Put each of Pydantic's errors, in words, on the node it is about (the nearest one that
    the editor shows); return the nodes that got errors, in page order."""
    by_path = {node.path: node for top in nodes for node in top.walk()}
    for item in error.errors():
        parts = [str(part) for part in item["loc"]]
        while parts and ".".join(parts) not in by_path:
            parts.pop()
        where = ".".join(parts)
        node = by_path.get(where) if where else None
        words = _error_words(item)
        if node is None:
            node = by_path.setdefault(
                "", Node(kind="group", path="", label="", trail=gettext("La definición"))
            )
        if words not in node.errors:
            node.errors.append(words)
    ordered = [node for top in nodes for node in top.walk() if node.errors]
    general = by_path.get("")
    return ([general] if general is not None and general.errors else []) + ordered
