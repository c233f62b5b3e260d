"""Feature packages. Each subpackage is one extension: ``__init__.py`` holds only ``setup()``."""
