"""CityWatch: map surveillance deals and pry them open with freedom-of-information requests."""

__version__ = "0.1.0"
