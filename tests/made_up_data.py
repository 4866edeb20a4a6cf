"""Tables made in the tests, not shipped with the app: data the developers have not tuned for.

Each writer returns the path of the CSV it wrote; the values are seeded, so a
test sees the same file every run.
"""

import numpy as np


def write_csv(path, n=90, seed=5):
    """price depends smoothly on size and age; a third column is noise."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 10, size=(n, 3))
    y = 3 * x[:, 0] - 2 * x[:, 1] + 40 + rng.normal(0, 0.5, size=n)
    rows = ["size,age,noise,price"] + [f"{a:.3f},{b:.3f},{c:.3f},{t:.3f}" for (a, b, c), t in zip(x, y)]
    path.write_text("\n".join(rows) + "\n")
    return path


CITIES = {"Lyon": 4800, "Nantes": 3900, "Lille": 3400, "Bordeaux": 4500}
APARTMENT_TYPES = {"studio": 1.15, "flat": 1.0, "house": 0.9}


def write_apartments(path, n=240, seed=11):
    """Regression with text columns and gaps: city, type, rooms, area (m²) → price (€).

    Some areas are blank, some cities "NA", and a few prices missing (those rows
    cannot be trained on)."""
    rng = np.random.default_rng(seed)
    lines = ["city,type,rooms,area,price"]
    for i in range(n):
        city = rng.choice(list(CITIES))
        kind = rng.choice(list(APARTMENT_TYPES))
        rooms = 1 if kind == "studio" else int(rng.integers(2, 7))
        area = rooms * 18 + rng.uniform(5, 20)
        price = CITIES[city] * APARTMENT_TYPES[kind] * area + rng.normal(0, 8000)
        area_cell = "" if i % 17 == 3 else f"{area:.1f}"
        city_cell = "NA" if i % 23 == 5 else city
        price_cell = "" if i % 41 == 7 else f"{price:.0f}"
        lines.append(f"{city_cell},{kind},{rooms},{area_cell},{price_cell}")
    path.write_text("\n".join(lines) + "\n")
    return path


FRUIT = {  # kind: (colours, shape, weight mean, weight spread)
    "apple": (("red", "green", "yellow"), "round", 160, 25),
    "banana": (("yellow", "green"), "long", 120, 15),
    "orange": (("orange",), "round", 200, 30),
    "plum": (("purple", "red"), "oval", 60, 10),
}


def write_fruit(path, n=240, seed=3):
    """Multi-class with text columns and gaps: colour, shape, weight (g) → kind of fruit.

    Some weights are "?", some shapes blank."""
    rng = np.random.default_rng(seed)
    lines = ["colour,shape,weight,kind"]
    kinds = list(FRUIT)
    for i in range(n):
        kind = kinds[i % len(kinds)]
        colours, shape, mean, spread = FRUIT[kind]
        colour = colours[int(rng.integers(len(colours)))]
        weight = "?" if i % 13 == 4 else f"{rng.normal(mean, spread):.0f}"
        shape_cell = "" if i % 19 == 6 else shape
        lines.append(f"{colour},{shape_cell},{weight},{kind}")
    path.write_text("\n".join(lines) + "\n")
    return path
