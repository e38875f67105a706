//! Colours of the scenes for each theme.

/// sRGB colour with straight alpha.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgba(pub [u8; 4]);

impl Rgba {
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self([r, g, b, 255])
    }

    pub const fn with_alpha(self, a: u8) -> Self {
        Self([self.0[0], self.0[1], self.0[2], a])
    }

    fn lerp(a: Rgba, b: Rgba, t: f32) -> Rgba {
        let f = |x: u8, y: u8| (x as f32 + (y as f32 - x as f32) * t).round() as u8;
        Rgba([
            f(a.0[0], b.0[0]),
            f(a.0[1], b.0[1]),
            f(a.0[2], b.0[2]),
            f(a.0[3], b.0[3]),
        ])
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

/// The colours a scene draws with. Roles, not hues: every role is also told apart by shape or
/// label, so the picture reads without colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub background: Rgba,
    pub text: Rgba,
    pub point: Rgba,
    pub point_faint: Rgba,
    pub query: Rgba,
    pub entry: Rgba,
    pub current: Rgba,
    pub path: Rgba,
    pub path_old: Rgba,
    pub evaluated: Rgba,
    pub kept: Rgba,
    pub rejected: Rgba,
    pub found: Rgba,
    pub stuck: Rgba,
    pub new_link: Rgba,
    /// Edge colours from shortest to longest.
    pub ramp: [Rgba; 5],
}

impl Palette {
    pub fn for_theme(theme: Theme) -> Self {
        match theme {
            Theme::Dark => Self {
                background: Rgba::rgb(24, 26, 31),
                text: Rgba::rgb(230, 232, 236),
                point: Rgba::rgb(200, 205, 215),
                point_faint: Rgba::rgb(90, 95, 105),
                query: Rgba::rgb(255, 214, 10),
                entry: Rgba::rgb(86, 180, 233),
                current: Rgba::rgb(255, 255, 255),
                path: Rgba::rgb(255, 159, 28),
                path_old: Rgba::rgb(170, 120, 70),
                evaluated: Rgba::rgb(86, 180, 233),
                kept: Rgba::rgb(0, 200, 160),
                rejected: Rgba::rgb(140, 140, 150),
                found: Rgba::rgb(60, 220, 110),
                stuck: Rgba::rgb(255, 70, 85),
                new_link: Rgba::rgb(255, 159, 28),
                // viridis
                ramp: [
                    Rgba::rgb(72, 40, 120),
                    Rgba::rgb(62, 74, 137),
                    Rgba::rgb(38, 130, 142),
                    Rgba::rgb(53, 183, 121),
                    Rgba::rgb(253, 231, 37),
                ],
            },
            Theme::Light => Self {
                background: Rgba::rgb(252, 252, 250),
                text: Rgba::rgb(20, 22, 28),
                point: Rgba::rgb(60, 64, 72),
                point_faint: Rgba::rgb(190, 192, 198),
                query: Rgba::rgb(200, 120, 0),
                entry: Rgba::rgb(0, 114, 178),
                current: Rgba::rgb(0, 0, 0),
                path: Rgba::rgb(213, 94, 0),
                path_old: Rgba::rgb(200, 150, 110),
                evaluated: Rgba::rgb(0, 114, 178),
                kept: Rgba::rgb(0, 140, 110),
                rejected: Rgba::rgb(150, 150, 160),
                found: Rgba::rgb(0, 150, 70),
                stuck: Rgba::rgb(210, 20, 40),
                new_link: Rgba::rgb(213, 94, 0),
                // viridis without its pale yellow end, which vanishes on white
                ramp: [
                    Rgba::rgb(68, 1, 84),
                    Rgba::rgb(59, 82, 139),
                    Rgba::rgb(33, 145, 140),
                    Rgba::rgb(53, 170, 90),
                    Rgba::rgb(190, 160, 0),
                ],
            },
        }
    }

    /// Okabe–Ito's colour-blind-safe hues for every role (the link ramp stays viridis, which
    /// is colour-blind safe too).
    pub fn okabe_ito(mut self) -> Self {
        let orange = Rgba::rgb(230, 159, 0);
        let sky = Rgba::rgb(86, 180, 233);
        let green = Rgba::rgb(0, 158, 115);
        let blue = Rgba::rgb(0, 114, 178);
        let vermillion = Rgba::rgb(213, 94, 0);
        let purple = Rgba::rgb(204, 121, 167);
        let yellow = Rgba::rgb(240, 228, 66);
        self.query = if self.background.0[0] < 128 {
            yellow
        } else {
            orange
        };
        self.entry = sky;
        self.path = vermillion;
        self.path_old = purple;
        self.evaluated = blue;
        self.kept = green;
        self.found = green;
        self.stuck = purple;
        self.new_link = orange;
        self
    }

    /// Stronger contrast for projectors: pure background, full-strength text and points.
    pub fn high_contrast(mut self) -> Self {
        let dark = self.background.0[0] < 128;
        self.background = if dark {
            Rgba::rgb(0, 0, 0)
        } else {
            Rgba::rgb(255, 255, 255)
        };
        self.text = if dark {
            Rgba::rgb(255, 255, 255)
        } else {
            Rgba::rgb(0, 0, 0)
        };
        self.point = self.text;
        self
    }

    /// The edge colour for `t` in [0, 1] (0 = shortest).
    pub fn length_color(&self, t: f32) -> Rgba {
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let x = t * (self.ramp.len() - 1) as f32;
        let i = (x.floor() as usize).min(self.ramp.len() - 2);
        Rgba::lerp(self.ramp[i], self.ramp[i + 1], x - i as f32)
    }
}

/// Everything that decides how a frame looks besides its content: the theme, the
/// colour-blind-safe palette, and presenter mode (high contrast, bigger marks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Look {
    pub theme: Theme,
    pub okabe_ito: bool,
    pub presenter: bool,
}

impl Look {
    pub fn palette(&self) -> Palette {
        let mut p = Palette::for_theme(self.theme);
        if self.okabe_ito {
            p = p.okabe_ito();
        }
        if self.presenter {
            p = p.high_contrast();
        }
        p
    }

    pub fn style(&self) -> super::Style {
        if self.presenter {
            super::Style::presenter()
        } else {
            super::Style::default()
        }
    }
}
