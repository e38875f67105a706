//! Backends that write a scene's primitives to files, without a window: SVG, and PNG / GIF /
//! APNG rasterized from that same SVG. They read the same `Frame` the canvas paints, so a
//! figure is what the screen shows.

pub mod chart;
pub mod font;
pub mod raster;
pub mod svg;
