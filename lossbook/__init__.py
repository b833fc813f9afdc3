"""lossbook: numerically careful classification losses, their gradients, and live widgets."""
