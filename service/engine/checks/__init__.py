"""Static checks of what a diagram holds, beyond the engine's own parser and the flow lint: each finds,
at deploy, something a running case would otherwise fail on or wait at for ever, and says it at its
line with the fix (see `definitions.parse_bundle` for the order they run in)."""
