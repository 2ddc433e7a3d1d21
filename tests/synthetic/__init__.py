"""Tests of framing.synthetic."""
