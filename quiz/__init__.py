"""Quiz builder for trainers: items drafted from the handbooks' own statements, each cited."""
