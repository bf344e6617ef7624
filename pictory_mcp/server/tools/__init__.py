"""Toolsets: each module ends in one TOOLS declaration; `inventory` lists them all."""
