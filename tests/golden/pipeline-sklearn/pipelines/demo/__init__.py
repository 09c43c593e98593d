"""The demo pipeline.

settings.py holds its settings as plain data, pipeline.py its SageMaker definition, and steps/
the scripts that run in the containers (and locally).
"""
