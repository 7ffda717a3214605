"""The facilitator's terminal UI (`ttx play`, `ttx replay`), built on the pure `simulator.session` core."""
