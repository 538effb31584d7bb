//! Colours and text styles. Dark by default, light on request, monochrome when `NO_COLOR` is set
//! (then emphasis comes from bold, underline and reverse video only).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    Dark,
    Light,
    Mono,
}

/// The colours a coloured theme is made of.
struct Palette {
    fg: Color,
    muted: Color,
    accent: Color,
    border: Color,
    selection: Color,
    yellow: Color,
    purple: Color,
    cyan: Color,
    green: Color,
    red: Color,
    code_fg: Color,
    code_bg: Color,
    inline_code_bg: Color,
    quote: Color,
    table_border: Color,
    /// Text drawn on the accent colour (the selected link).
    on_accent: Color,
}

/// Every style a screen draws with; screens never pick raw colours themselves.
#[derive(Debug, Clone)]
pub struct Theme {
    pub name: ThemeName,
    pub base: Style,
    pub muted: Style,
    pub accent: Style,
    pub title: Style,
    pub border: Style,
    pub border_focus: Style,
    pub selection: Style,
    pub key_hint: Style,
    /// Headings by level, 1..=6.
    pub headings: [Style; 6],
    pub emphasis: Style,
    pub strong: Style,
    pub strike: Style,
    pub inline_code: Style,
    pub code_block: Style,
    pub quote: Style,
    pub link: Style,
    pub link_selected: Style,
    pub search_match: Style,
    pub fuzzy_match: Style,
    pub table_border: Style,
    pub table_header: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    pub info: Style,
}

impl Theme {
    pub fn by_name(name: ThemeName) -> Theme {
        match name {
            ThemeName::Dark => Theme::dark(),
            ThemeName::Light => Theme::light(),
            ThemeName::Mono => Theme::mono(),
        }
    }

    pub fn dark() -> Theme {
        Theme::from_palette(
            ThemeName::Dark,
            &Palette {
                fg: Color::Rgb(220, 223, 228),
                muted: Color::Rgb(128, 134, 145),
                accent: Color::Rgb(97, 175, 239),
                border: Color::Rgb(75, 82, 94),
                selection: Color::Rgb(44, 50, 60),
                yellow: Color::Rgb(229, 192, 123),
                purple: Color::Rgb(198, 120, 221),
                cyan: Color::Rgb(86, 182, 194),
                green: Color::Rgb(152, 195, 121),
                red: Color::Rgb(224, 108, 117),
                code_fg: Color::Rgb(200, 204, 212),
                code_bg: Color::Rgb(36, 40, 48),
                inline_code_bg: Color::Rgb(40, 44, 52),
                quote: Color::Rgb(150, 156, 168),
                table_border: Color::Rgb(90, 97, 110),
                on_accent: Color::Black,
            },
        )
    }

    pub fn light() -> Theme {
        Theme::from_palette(
            ThemeName::Light,
            &Palette {
                fg: Color::Rgb(56, 58, 66),
                muted: Color::Rgb(120, 124, 134),
                accent: Color::Rgb(64, 120, 242),
                border: Color::Rgb(180, 184, 192),
                selection: Color::Rgb(222, 228, 240),
                yellow: Color::Rgb(152, 104, 1),
                purple: Color::Rgb(166, 38, 164),
                cyan: Color::Rgb(1, 132, 188),
                green: Color::Rgb(80, 161, 79),
                red: Color::Rgb(228, 86, 73),
                code_fg: Color::Rgb(56, 58, 66),
                code_bg: Color::Rgb(240, 240, 242),
                inline_code_bg: Color::Rgb(240, 240, 242),
                quote: Color::Rgb(110, 114, 124),
                table_border: Color::Rgb(170, 174, 182),
                on_accent: Color::White,
            },
        )
    }

    /// The coloured themes differ only in their palette; this maps colours to roles.
    fn from_palette(name: ThemeName, p: &Palette) -> Theme {
        let bold = Modifier::BOLD;
        Theme {
            name,
            base: Style::new().fg(p.fg),
            muted: Style::new().fg(p.muted),
            accent: Style::new().fg(p.accent),
            title: Style::new().fg(p.accent).add_modifier(bold),
            border: Style::new().fg(p.border),
            border_focus: Style::new().fg(p.accent),
            selection: Style::new().bg(p.selection).add_modifier(bold),
            key_hint: Style::new().fg(p.yellow),
            headings: [
                Style::new().fg(p.yellow).add_modifier(bold),
                Style::new().fg(p.accent).add_modifier(bold),
                Style::new().fg(p.purple).add_modifier(bold),
                Style::new().fg(p.cyan).add_modifier(bold),
                Style::new().fg(p.fg).add_modifier(bold),
                Style::new().fg(p.fg).add_modifier(Modifier::ITALIC),
            ],
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            strong: Style::new().add_modifier(bold),
            strike: Style::new().add_modifier(Modifier::CROSSED_OUT),
            inline_code: Style::new().fg(p.green).bg(p.inline_code_bg),
            code_block: Style::new().fg(p.code_fg).bg(p.code_bg),
            quote: Style::new().fg(p.quote).add_modifier(Modifier::ITALIC),
            link: Style::new().fg(p.accent).add_modifier(Modifier::UNDERLINED),
            link_selected: Style::new().fg(p.on_accent).bg(p.accent),
            search_match: Style::new().fg(Color::Black).bg(p.yellow),
            fuzzy_match: Style::new().fg(p.yellow).add_modifier(bold),
            table_border: Style::new().fg(p.table_border),
            table_header: Style::new().fg(p.accent).add_modifier(bold),
            ok: Style::new().fg(p.green),
            warn: Style::new().fg(p.yellow),
            error: Style::new().fg(p.red),
            info: Style::new().fg(p.cyan),
        }
    }

    /// No colours at all: structure through modifiers only.
    pub fn mono() -> Theme {
        let plain = Style::new();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let reverse = Style::new().add_modifier(Modifier::REVERSED);
        let underline = Style::new().add_modifier(Modifier::UNDERLINED);
        Theme {
            name: ThemeName::Mono,
            base: plain,
            muted: Style::new().add_modifier(Modifier::DIM),
            accent: bold,
            title: bold,
            border: plain,
            border_focus: bold,
            selection: reverse,
            key_hint: bold,
            headings: [
                bold.add_modifier(Modifier::UNDERLINED),
                bold,
                bold,
                bold,
                bold,
                Style::new().add_modifier(Modifier::ITALIC),
            ],
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            strong: bold,
            strike: Style::new().add_modifier(Modifier::CROSSED_OUT),
            inline_code: bold,
            code_block: plain,
            quote: Style::new().add_modifier(Modifier::ITALIC),
            link: underline,
            link_selected: reverse,
            search_match: reverse,
            fuzzy_match: bold.add_modifier(Modifier::UNDERLINED),
            table_border: plain,
            table_header: bold,
            ok: bold,
            warn: bold,
            error: bold.add_modifier(Modifier::UNDERLINED),
            info: plain,
        }
    }

    /// The theme to start with: `NO_COLOR` (any value) wins over the configured name.
    pub fn resolve(configured: Option<ThemeName>, no_color: bool) -> Theme {
        if no_color {
            return Theme::mono();
        }
        Theme::by_name(configured.unwrap_or(ThemeName::Dark))
    }

    pub fn heading(&self, level: u8) -> Style {
        self.headings[usize::from(level.clamp(1, 6)) - 1]
    }
}
