//! The tooltip on the screen: the day it showed last, whether it shows, and showing that
//! day again when what it waited for has come (a day's details, a marked day's titles).

use super::echarts;
use super::js::set;
use crate::chart::wire::CHART_ID;
use js_sys::Object;

thread_local! {
    /// The day the tooltip showed last (where it shows again when the details come).
    pub static LAST_TIP: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Writes the last day's tooltip again. ECharts keeps a tooltip whose day has not
/// changed as it is: hide it first, so the same day is written again.
pub fn show_last_tip_again() {
    let Some(instance) = echarts::current() else {
        return;
    };
    let hide = Object::new();
    set(&hide, "type", &"hideTip".into());
    instance.dispatch_action(&hide);
    let action = Object::new();
    set(&action, "type", &"showTip".into());
    set(&action, "seriesIndex", &0.into());
    set(&action, "dataIndex", &LAST_TIP.with(|t| t.get()).into());
    instance.dispatch_action(&action);
}

/// Whether the tooltip is on the screen now (ECharts hides it with `visibility`).
pub fn tip_showing() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("#{CHART_ID} .tip"))
                .ok()
                .flatten()
        })
        .and_then(|tip| tip.parent_element())
        .and_then(|box_| box_.get_attribute("style"))
        .is_some_and(|style| !style.contains("visibility: hidden"))
}
