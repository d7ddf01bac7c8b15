"""Small building blocks shared by every app: partial dates, coordinates, choices."""
