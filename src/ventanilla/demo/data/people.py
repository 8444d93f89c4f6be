"""The named demo logins that `make run` prints, and what each one is for."""

from __future__ import annotations

from dataclasses import dataclass

from ventanilla.accounts.id_documents import IdType
from ventanilla.organization.models import Role

# Published on purpose: anyone trying the demo signs in with these. A real deployment never
# loads the demo.
DEMO_PASSWORD = "demo-ventanilla-2026"  # noqa: S105
# One TOTP secret for every named official, so a visitor can add it to any authenticator app
# (base32, 20 bytes, as allauth generates them).
DEMO_TOTP_SECRET = "VENTANILLADEMOTOTPSECRETOPUBLICO"  # noqa: S105

# Where a demo official works: an entity and a dependency code in it. KENNEDY_SCHOOL stands
# for the first school of Kennedy, whose code the school plan decides.
KENNEDY_SCHOOL = "<first school of Kennedy>"


@dataclass(frozen=True)
class Login:
    email: str
    first_name: str
    last_name: str
    what_es: str
    what_en: str
    entity: str = ""
    dependency: str = ""
    role: Role | None = None
    superuser: bool = False
    id_type: str = ""
    id_number: str = ""
    phone: str = ""

    @property
    def official(self) -> bool:
        return self.role is not None or self.superuser


NAMED_LOGINS: tuple[Login, ...] = (
    Login(
        "ciudadana@demo.ventanilla.co",
        "Luz Marina",
        "Pérez Rodríguez",
        "Ciudadana: radica y sigue sus solicitudes",
        "Citizen: files and follows her requests",
        id_type=IdType.CC,
        id_number="52345678",
        phone="3001234567",
    ),
    Login(
        "gestor@demo.ventanilla.co",
        "Andrés Felipe",
        "Castro Molina",
        "Gestor, Oficina de Servicio a la Ciudadanía (SED)",
        "Handler, Citizen Service Office (SED)",
        "SED",
        "OSC",
        Role.HANDLER,
    ),
    Login(
        "aprobador@demo.ventanilla.co",
        "Claudia Marcela",
        "Rincón Vargas",
        "Aprobadora, Oficina de Servicio a la Ciudadanía (SED)",
        "Approver, Citizen Service Office (SED)",
        "SED",
        "OSC",
        Role.APPROVER,
    ),
    Login(
        "cobertura@demo.ventanilla.co",
        "Marcela",
        "Quiroga Pinzón",
        "Coordinadora de cupos escolares, Dirección de Cobertura (SED)",
        "School places coordinator, Coverage Directorate (SED)",
        "SED",
        "DIR-COBERTURA",
        Role.APPROVER,
    ),
    Login(
        "supervisor@demo.ventanilla.co",
        "Jorge Enrique",
        "Salazar Ortiz",
        "Supervisor, Despacho de la SED (toda la entidad)",
        "Supervisor, SED head office (the whole entity)",
        "SED",
        "SED",
        Role.SUPERVISOR,
    ),
    Login(
        "admin@demo.ventanilla.co",
        "Natalia",
        "Bernal Quintero",
        "Administradora de la plataforma y de la SED",
        "Administrator of the platform and of the SED",
        "SED",
        "SED",
        Role.ADMINISTRATOR,
        superuser=True,
    ),
    Login(
        "gestor.kennedy@demo.ventanilla.co",
        "Diana Carolina",
        "Moreno Cárdenas",
        "Gestora, Dirección Local de Educación de Kennedy",
        "Handler, Kennedy local directorate",
        "SED",
        "DLE-08",
        Role.HANDLER,
    ),
    Login(
        "secretaria.colegio@demo.ventanilla.co",
        "Gloria Inés",
        "Forero Bautista",
        "Secretaria de un colegio de Kennedy",
        "Secretary of a school in Kennedy",
        "SED",
        KENNEDY_SCHOOL,
        Role.HANDLER,
    ),
    Login(
        "gestor.sg@demo.ventanilla.co",
        "Camilo",
        "Ospina Guerrero",
        "Gestor, Bogotá Te Escucha (Secretaría General)",
        "Handler, Bogotá Te Escucha (Secretaría General)",
        "SG",
        "DDCS",
        Role.HANDLER,
    ),
)
