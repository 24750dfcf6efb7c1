"""Deployment files, and the scripts that run the production stack on this machine (deploy/stack.py)."""
