"""Areas of interest: GeoJSON geometries per RFC 7946, checked before anyone pays for them.

Whatever the user hands us (a drawn feature, an uploaded FeatureCollection, WKT, a shapely or
``__geo_interface__`` object) becomes one validated GeoJSON geometry dict. One module per job:

- ``validate``: a geometry dict checked and normalised, returned with its shapely shape
  (``ValidGeometry``); ``fast_path`` checks long arrays of positions with numpy for it, and
  ``build`` makes shapely geometries from the arrays.
- ``convert``: anything that describes an area to a validated geometry (``read_geometry``,
  ``to_geometry``), and bounding boxes.
- ``measure``: vertex count, member types, geodesic area and its cheap upper bound.
- ``limits``: a product's limits on an AOI, and simplifying under a vertex limit.
- ``valid``: the field name, the GeoJSON types and ``ValidGeometry``, without shapely.

The shape travels with the dict in ``ValidGeometry`` (no cache to share between threads): a
caller holding only the dict gets a shape built anew.

Names load on first use (their list is ``__init__.pyi``): the models build their classes with
``valid`` alone, and shapely loads with the first geometry parsed or measured.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
