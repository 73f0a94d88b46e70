"""STAPI v0.1.0 at ``{url}/stapi``: the reference server's second face (see ``face``)."""

from .face import PREFIX, create_face, mount_stapi

__all__ = ["PREFIX", "create_face", "mount_stapi"]
