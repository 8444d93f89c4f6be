"""Bogotá's 20 localidades: official number and name, and what the demo needs to place schools.

School counts follow the real spread of district schools (many in the south and west, few in
the centre and in rural Sumapaz). Boxes and street ranges are approximate: they only have to
put a school's pin and address in the right part of the city.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LocalityData:
    code: str
    name: str
    schools: int
    # Bounding box of the urban part, in degrees.
    south: float
    north: float
    west: float
    east: float
    # Street numbers covered, signed: a negative calle is "Sur", a negative carrera is "Este".
    calles: tuple[int, int]
    carreras: tuple[int, int]
    # Neighbourhoods (or veredas in rural Sumapaz) that give some schools their names.
    barrios: tuple[str, ...]


# fmt: off
LOCALITIES: tuple[LocalityData, ...] = (
    LocalityData(
        "01", "Usaquén", 12, 4.690, 4.765, -74.055, -74.025, (100, 190), (1, 20),
        ("Toberín", "Verbenal", "Barrancas", "San Cristóbal Norte", "Santa Cecilia", "El Codito"),
    ),
    LocalityData(
        "02", "Chapinero", 5, 4.640, 4.675, -74.065, -74.045, (39, 99), (1, 14),
        ("Pardo Rubio", "Bosque Calderón", "San Luis", "Chapinero"),
    ),
    LocalityData(
        "03", "Santa Fe", 9, 4.596, 4.616, -74.075, -74.062, (1, 30), (-8, 13),
        ("Las Cruces", "La Perseverancia", "Los Laches", "El Dorado", "La Macarena"),
    ),
    LocalityData(
        "04", "San Cristóbal", 34, 4.545, 4.585, -74.100, -74.070, (-50, -1), (-15, 10),
        ("La Victoria", "San Blas", "Los Libertadores", "Juan Rey", "Altamira", "Aguas Claras",
         "Veinte de Julio", "Montebello", "Santa Inés", "La Belleza"),
    ),
    LocalityData(
        "05", "Usme", 48, 4.470, 4.530, -74.135, -74.100, (-140, -60), (-15, 14),
        ("Santa Librada", "Alfonso López", "Monteblanco", "El Destino", "Usminia", "Los Soches",
         "Olarte", "La Aurora", "Comuneros", "Brazuelos", "Chuniza", "Almirante Padilla"),
    ),
    LocalityData(
        "06", "Tunjuelito", 14, 4.565, 4.595, -74.145, -74.125, (-60, -44), (14, 60),
        ("Venecia", "San Benito", "El Tunal", "Isla del Sol", "San Carlos"),
    ),
    LocalityData(
        "07", "Bosa", 32, 4.600, 4.640, -74.210, -74.170, (-90, -49), (77, 100),
        ("Bosa Centro", "El Porvenir", "La Libertad", "Brasilia", "San Bernardino", "Holanda",
         "Islandia", "Laureles", "El Recreo", "Piamonte", "Bosa Nova"),
    ),
    LocalityData(
        "08", "Kennedy", 46, 4.605, 4.650, -74.170, -74.130, (-56, -1), (68, 100),
        ("Patio Bonito", "Britalia", "Castilla", "Timiza", "El Tintal", "Las Margaritas",
         "Carvajal", "María Paz", "Villa Rica", "La Amistad", "Nuevo Kennedy", "Techo"),
    ),
    LocalityData(
        "09", "Fontibón", 13, 4.660, 4.690, -74.160, -74.120, (13, 25), (70, 127),
        ("Fontibón", "Villemar", "Hayuelos", "Zona Franca", "Atahualpa", "La Giralda"),
    ),
    LocalityData(
        "10", "Engativá", 36, 4.685, 4.725, -74.125, -74.080, (26, 90), (70, 120),
        ("Garcés Navas", "Boyacá Real", "Las Ferias", "Minuto de Dios", "Álamos", "Bolivia",
         "Villas de Granada", "Engativá Pueblo", "Quirigua", "Villa Amalia", "Santa Helenita"),
    ),
    LocalityData(
        "11", "Suba", 30, 4.715, 4.770, -74.105, -74.050, (100, 170), (45, 140),
        ("Tibabuyes", "La Gaitana", "Lisboa", "Compartir", "Berlín", "El Rincón", "Tuna Alta",
         "San Cayetano", "Villa Elisa", "Prado Veraniego"),
    ),
    LocalityData(
        "12", "Barrios Unidos", 10, 4.660, 4.685, -74.085, -74.060, (63, 99), (15, 68),
        ("Doce de Octubre", "Los Alcázares", "Rionegro", "Siete de Agosto", "San Fernando"),
    ),
    LocalityData(
        "13", "Teusaquillo", 4, 4.625, 4.660, -74.095, -74.065, (26, 63), (14, 68),
        ("La Esmeralda", "Palermo", "Quinta Paredes", "Galerías"),
    ),
    LocalityData(
        "14", "Los Mártires", 8, 4.603, 4.620, -74.095, -74.078, (1, 26), (14, 30),
        ("Santa Isabel", "La Favorita", "Ricaurte", "Paloquemao", "Voto Nacional"),
    ),
    LocalityData(
        "15", "Antonio Nariño", 6, 4.580, 4.598, -74.115, -74.090, (-27, -1), (10, 30),
        ("Restrepo", "Ciudad Jardín Sur", "La Fragua", "Villa Mayor"),
    ),
    LocalityData(
        "16", "Puente Aranda", 17, 4.605, 4.640, -74.125, -74.095, (-20, 19), (30, 68),
        ("Ciudad Montes", "Galán", "Marsella", "Trinidad Galán", "Veraguas", "Santa Matilde",
         "Primavera", "Muzú", "El Tejar"),
    ),
    LocalityData(
        "17", "La Candelaria", 3, 4.593, 4.602, -74.076, -74.068, (6, 19), (1, 10),
        ("La Concordia", "Egipto", "Belén"),
    ),
    LocalityData(
        "18", "Rafael Uribe Uribe", 28, 4.560, 4.588, -74.125, -74.100, (-60, -27), (-5, 30),
        ("Quiroga", "Marruecos", "Diana Turbay", "Molinos", "San Jorge", "Olaya", "Colinas",
         "Bochica", "Palermo Sur"),
    ),
    LocalityData(
        "19", "Ciudad Bolívar", 45, 4.530, 4.585, -74.175, -74.135, (-90, -59), (18, 77),
        ("Arborizadora Alta", "Sierra Morena", "Perdomo", "Jerusalén", "Paraíso", "Lucero",
         "Candelaria La Nueva", "Potosí", "Quiba", "Meissen", "San Francisco", "El Tesoro",
         "Mochuelo"),
    ),
    LocalityData(
        "20", "Sumapaz", 4, 4.050, 4.250, -74.350, -74.200, (0, 0), (0, 0),
        ("Nazareth", "Betania", "San Juan de Sumapaz", "Santa Rosa", "La Unión", "Las Ánimas"),
    ),
)
# fmt: on

RURAL = frozenset({"20"})  # veredas, not a street grid
