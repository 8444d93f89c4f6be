"""Catalogue search over the demo catalogue: what people type, and what must come first."""

from __future__ import annotations

import pytest

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


@pytest.mark.django_db
def test_realistic_queries_rank_the_right_service_first() -> None:
    organizations_load()
    catalog_load()
    wrong = []
    for query, expected in QUERIES:
        found = [s.slug for s in service_search(CatalogFilters(q=query))]
        if not found or found[0] != expected:
            wrong.append(f"{query!r}: expected {expected}, got {found[:3]}")
    assert not wrong, "\n".join(wrong)
    assert service_search(CatalogFilters(q="xyzzy trámite inexistente")) == []
    assert len(service_search(CatalogFilters())) >= 50
