"""Catalogue search over the demo catalogue: what people type, and what must come first — or,
for what people type with slips and in their own words, among the first three."""

from __future__ import annotations

import pytest

from ventanilla.catalog.models import SearchSynonym
from ventanilla.catalog.selectors import CatalogFilters, service_search
from ventanilla.demo.load import catalog_load
from ventanilla.demo.organizations import organizations_load

QUERIES = [
    # (what a citizen or an official types, the service that must rank first)
    ("cupo", "solicitud-cupo-escolar"),  # the everyday word for a school place
    ("cupo colegio", "solicitud-cupo-escolar"),
    ("Cupo Escolar", "solicitud-cupo-escolar"),
    ("school place", "solicitud-cupo-escolar"),  # English
    ("matricula", "constancia-de-matricula"),  # no accent
    ("matrícula adultos", "matricula-educacion-adultos"),
    ("certificado de estudios", "certificado-de-estudios"),
    ("certificado estudio", "certificado-de-estudios"),  # singular, no "de"
    ("notas", "certificado-de-notas"),
    ("duplicado diploma", "duplicado-de-diploma"),
    ("diploma perdido", "duplicado-de-diploma"),  # found by its keywords
    ("traslado de colegio", "traslado-escolar"),
    ("pension", "pension-docente"),
    ("cesantías definitivas", "cesantias-definitivas-docentes"),
    ("cesantias vivienda", "cesantias-parciales-docentes"),  # partial severance for a house
    ("queja", "queja"),
    ("denuncia corrupción", "denuncia-por-corrupcion"),
    ("DERECHO DE PETICION", "derecho-de-peticion-general"),
    ("convalidar estudios del exterior", "convalidacion-estudios-exterior"),
    ("transporte escolar", "subsidio-transporte-escolar"),
    ("alimentacion escolar", "novedad-alimentacion-escolar"),
    ("licencia colegio privado", "licencia-funcionamiento-colegio-privado"),
    ("ascenso escalafon", "ascenso-escalafon-docente"),
    ("paz y salvo", "certificado-de-paz-y-salvo-docente"),
    ("certificado laboral", "certificado-laboral-y-salarial"),
    ("venezolanos", "inclusion-estudiantes-migrantes"),
    ("colegios cerrados", "certificados-colegios-cerrados"),
    ("información pública", "acceso-informacion-publica"),
    ("beca universidad", "beca-educacion-superior"),
    ("CETIL", "certificado-tiempo-para-pension"),
    ("SIMAT", "correccion-datos-simat"),
    ("hospital", "aulas-hospitalarias"),
    ("discapacidad", "apoyo-estudiantes-con-discapacidad"),
]


# Where something that went wrong may be written: a complaint, a claim or a petition.
COMPLAINT = ("queja", "reclamo", "derecho-de-peticion-general")
# What people type with slips of spelling, in plain words, in Spanish and English, and the
# service that must be among the first three results. At least 90% must be.
FORGIVEN: list[tuple[str, str | tuple[str, ...]]] = [
    ("sertificado de notas", "certificado-de-notas"),  # sounds the same
    ("certifcado de estudios", "certificado-de-estudios"),  # a letter dropped
    ("costancia de matricula", "constancia-de-matricula"),
    ("inscripcion colegio", "solicitud-cupo-escolar"),  # a synonym of the deployment
    ("matricula para mi hijo", "solicitud-cupo-escolar"),
    ("matrícula colegio para mi hija", "solicitud-cupo-escolar"),
    ("me robaron el uniforme en el colegio", COMPLAINT),  # a sentence
    ("traslado de coelgio", "traslado-escolar"),  # two letters swapped
    ("pencion docente", "pension-docente"),
    ("cesantias parsiales", "cesantias-parciales-docentes"),
    ("duplicado de diplma", "duplicado-de-diploma"),
    ("beka para la universidad", "beca-educacion-superior"),
    ("tranporte escolar", "subsidio-transporte-escolar"),
    ("alimentasion escolar", "novedad-alimentacion-escolar"),
    ("convalidar titulo del exterior", "convalidacion-estudios-exterior"),
    ("paz y salbo", "certificado-de-paz-y-salvo-docente"),
    ("certificado laboral docente", "certificado-laboral-y-salarial"),
    ("denunsia corrupcion", "denuncia-por-corrupcion"),
    ("quiero poner una queja", "queja"),
    ("reclamo por mal servicio", "reclamo"),
    ("mi hijo es venezolano", "inclusion-estudiantes-migrantes"),
    ("colegio para niño con discapacidad", "apoyo-estudiantes-con-discapacidad"),
    ("informasion publica", "acceso-informacion-publica"),
    ("ascenso en el escalafon", "ascenso-escalafon-docente"),
    ("corregir datos en el simat", "correccion-datos-simat"),
    ("licencia para un colegio privado", "licencia-funcionamiento-colegio-privado"),
    ("certificado de un colegio que cerraron", "certificados-colegios-cerrados"),
    ("educacion para adultos", "matricula-educacion-adultos"),
    ("jubilacion docente", "pension-docente"),
    ("calificaciones de mi hijo", "certificado-de-notas"),
    ("school place for my son", "solicitud-cupo-escolar"),
    ("enrol my child in school", "solicitud-cupo-escolar"),
    ("certifcate of studies", "certificado-de-estudios"),
    ("school transfer", "traslado-escolar"),
    ("teacher pension", "pension-docente"),
    ("complaint", "queja"),
    ("corruption report", "denuncia-por-corrupcion"),
    ("access to public information", "acceso-informacion-publica"),
    ("school meals", "novedad-alimentacion-escolar"),
    ("scholarship university", "beca-educacion-superior"),
    ("lost diploma", "duplicado-de-diploma"),
    ("school transport", "subsidio-transporte-escolar"),
    ("my uniform was stolen at school", COMPLAINT),
    ("grades", "certificado-de-notas"),
]


@pytest.fixture
def catalogue(db: None) -> None:
    organizations_load()
    catalog_load()


def test_slips_and_plain_words_find_the_service_in_the_first_three(catalogue: None) -> None:
    assert len(FORGIVEN) >= 40
    missed = []
    for query, expected in FORGIVEN:
        found = [s.slug for s in service_search(CatalogFilters(q=query))][:3]
        acceptable = expected if isinstance(expected, tuple) else (expected,)
        if not set(acceptable) & set(found):
            missed.append(f"{query!r}: expected {expected}, got {found}")
    assert len(missed) <= len(FORGIVEN) // 10, "\n".join(missed)


def test_the_synonyms_are_the_administrators_to_change(catalogue: None) -> None:
    assert "solicitud-cupo-escolar" not in [
        s.slug for s in service_search(CatalogFilters(q="prematrícula"))
    ]
    SearchSynonym.objects.create(words="prematrícula, cupo")
    found = [s.slug for s in service_search(CatalogFilters(q="prematricula"))]
    assert found[0] == "solicitud-cupo-escolar"


def test_realistic_queries_rank_the_right_service_first(catalogue: None) -> None:
    wrong = []
    for query, expected in QUERIES:
        found = [s.slug for s in service_search(CatalogFilters(q=query))]
        if not found or found[0] != expected:
            wrong.append(f"{query!r}: expected {expected}, got {found[:3]}")
    assert not wrong, "\n".join(wrong)
    assert service_search(CatalogFilters(q="xyzzy trámite inexistente")) == []
    assert len(service_search(CatalogFilters())) >= 50
