"""The technology taxonomy: a controlled vocabulary, kept as data and translatable.

New terms go at the end, so the positions (and the order clients rely on) of existing ones
stay as they are.

The data migration and `sync_technologies()` write these rows; names are shown through
gettext, so translations live in the message catalogues.
"""

from django.utils.translation import gettext_noop

TECHNOLOGIES: list[tuple[str, str, str]] = [
    # (slug, English name, English description)
    ("cctv", gettext_noop("CCTV"), gettext_noop("Closed-circuit video cameras.")),
    (
        "facial-recognition",
        gettext_noop("Facial recognition"),
        gettext_noop("Identifying or verifying people from images of their faces."),
    ),
    (
        "licence-plate-recognition",
        gettext_noop("Licence-plate recognition"),
        gettext_noop("Reading vehicle number plates automatically."),
    ),
    (
        "video-analytics",
        gettext_noop("Video analytics / AI"),
        gettext_noop("Automated analysis of video: behaviour, objects, crowds."),
    ),
    (
        "command-centre",
        gettext_noop("Command and control centre"),
        gettext_noop("A room or platform where feeds and alerts are brought together."),
    ),
    (
        "broadband-trunking",
        gettext_noop("Broadband trunking (eLTE)"),
        gettext_noop("Private mobile radio networks for police and emergency services."),
    ),
    (
        "fibre-network",
        gettext_noop("Fibre / network backbone"),
        gettext_noop("Optical fibre and core network links."),
    ),
    (
        "data-centre",
        gettext_noop("Data centre / cloud"),
        gettext_noop("Storage and computing for the system's data."),
    ),
    ("5g", gettext_noop("5G"), gettext_noop("Fifth-generation mobile networks.")),
    (
        "iot-sensors",
        gettext_noop("IoT sensors"),
        gettext_noop("Networked sensors in public space."),
    ),
    ("drones", gettext_noop("Drones"), gettext_noop("Unmanned aerial vehicles.")),
    (
        "body-worn-cameras",
        gettext_noop("Body-worn cameras"),
        gettext_noop("Cameras worn by police or other officers."),
    ),
    (
        "biometric-id",
        gettext_noop("Biometric ID"),
        gettext_noop("Identity systems based on fingerprints, faces or irises."),
    ),
    (
        "social-media-monitoring",
        gettext_noop("Social-media monitoring"),
        gettext_noop("Collecting and analysing people's posts and networks."),
    ),
    (
        "e-government",
        gettext_noop("E-government platform"),
        gettext_noop("Digital public services and the data platforms behind them."),
    ),
    (
        "traffic-cameras",
        gettext_noop("Traffic cameras"),
        gettext_noop("Cameras watching roads: speed, red-light and traffic-flow cameras."),
    ),
    (
        "video-storage",
        gettext_noop("Video storage"),
        gettext_noop("Recorders and storage that keep camera footage (NVR, cloud storage)."),
    ),
    (
        "smart-city-platform",
        gettext_noop("Smart-city platform"),
        gettext_noop(
            "Software that joins a city's sensors, cameras and services into one operations "
            "platform."
        ),
    ),
]


def sync_technologies(technology_model) -> int:
    """Create or update the taxonomy rows; safe to run again."""
    for position, (slug, name, description) in enumerate(TECHNOLOGIES):
        technology_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    return len(TECHNOLOGIES)
