"""Worked derivations: one module per result, each exposing ``build() -> rmtsym.Derivation``."""
