//! Backends that write a scene's primitives to files, without a window: SVG for now.
//! They read the same `Frame` the canvas paints, so a figure is what the screen shows.

pub mod svg;
