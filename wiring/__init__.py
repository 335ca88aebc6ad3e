"""The one wiring point: builds every service from the settings at start-up."""
