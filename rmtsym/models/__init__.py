"""Models from the literature, each built only from the engine's pieces."""
