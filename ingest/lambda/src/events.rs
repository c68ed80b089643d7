//! What arrives at each function, told apart by shape.

use chrono::{DateTime, Utc};
use ingest::{FetchedBatch, Job};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The fetch function's response: the batches it fetched and the jobs that failed.
/// With Destinations this becomes `responsePayload` of the record the store function gets.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FetchOutput {
    pub batches: Vec<FetchedBatch>,
    #[serde(default)]
    pub failures: Vec<FetchFailure>,
}

/// A job the fetch function could not do, with the source's words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FetchFailure {
    pub job: Job,
    pub error: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EventError {
    #[error("the fetch function failed upstream ({error_type}): {message}; nothing was written")]
    UpstreamFailed { error_type: String, message: String },
    #[error("unrecognised event: {0}")]
    Unrecognised(String),
}

/// What started a fetch.
#[derive(Clone, Debug, PartialEq)]
pub enum FetchTrigger {
    /// An EventBridge schedule (`"detail-type": "Scheduled Event"`).
    Schedule { time: Option<String> },
    /// A manual invoke: `{}`, or `{"symbols": ["IBM"]}` (also `coins`, `cities`) to
    /// override the configured list for this call; `"full": true` asks for the whole
    /// history of stocks (a backfill: the pipeline function only).
    Manual {
        items: Option<Vec<String>>,
        full: bool,
    },
}

/// Tells a Scheduled Event from a manual test event; anything else is an error.
pub fn fetch_trigger(event: &Value) -> Result<FetchTrigger, EventError> {
    let Some(object) = event.as_object() else {
        return Err(EventError::Unrecognised(format!(
            "expected a JSON object, got {}",
            short(event)
        )));
    };
    if object.get("detail-type").and_then(Value::as_str) == Some("Scheduled Event") {
        return Ok(FetchTrigger::Schedule {
            time: object
                .get("time")
                .and_then(Value::as_str)
                .map(str::to_string),
        });
    }
    if object.contains_key("detail-type")
        || object.contains_key("source") && object.contains_key("detail")
    {
        return Err(EventError::Unrecognised(format!(
            "an EventBridge event that is not a Scheduled Event: {}",
            short(event)
        )));
    }
    let mut items = None;
    for key in ["symbols", "coins", "cities"] {
        if let Some(list) = object.get(key) {
            let list = list
                .as_array()
                .and_then(|a| {
                    a.iter()
                        .map(|v| v.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                })
                .ok_or_else(|| {
                    EventError::Unrecognised(format!("{key:?} must be a list of strings"))
                })?;
            items = Some(list);
        }
    }
    let full = match object.get("full") {
        None => false,
        Some(Value::Bool(full)) => *full,
        Some(other) => {
            return Err(EventError::Unrecognised(format!(
                "\"full\" must be true or false, not {}",
                short(other)
            )))
        }
    };
    let known = ["symbols", "coins", "cities", "full"];
    if let Some(other) = object.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(EventError::Unrecognised(format!(
            "unknown key {other:?} in {}",
            short(event)
        )));
    }
    Ok(FetchTrigger::Manual { items, full })
}

/// The store function's input: the fetch output itself, or the Lambda Destinations
/// record around it. A failure record (`responseContext.functionError`, or a condition
/// other than `Success`) is an error, and so is anything else.
pub fn store_input(event: Value) -> Result<FetchOutput, EventError> {
    let is_record = event.get("requestContext").is_some() && event.get("responsePayload").is_some()
        || event.get("responseContext").is_some();
    if is_record {
        let function_error = event
            .pointer("/responseContext/functionError")
            .and_then(Value::as_str);
        let condition = event
            .pointer("/requestContext/condition")
            .and_then(Value::as_str);
        if function_error.is_some() || condition.is_some_and(|c| c != "Success") {
            let payload = event.get("responsePayload");
            return Err(EventError::UpstreamFailed {
                error_type: payload
                    .and_then(|p| p.get("errorType"))
                    .and_then(Value::as_str)
                    .or(function_error)
                    .or(condition)
                    .unwrap_or("unknown")
                    .to_string(),
                message: payload
                    .and_then(|p| p.get("errorMessage"))
                    .and_then(Value::as_str)
                    .unwrap_or("no message")
                    .to_string(),
            });
        }
        let payload = event.get("responsePayload").cloned().unwrap_or(Value::Null);
        return serde_json::from_value(payload).map_err(|e| {
            EventError::Unrecognised(format!(
                "the Destinations record's responsePayload is not a fetch output: {e}"
            ))
        });
    }
    if event.get("batches").is_some() {
        return serde_json::from_value(event)
            .map_err(|e| EventError::Unrecognised(format!("not a fetch output: {e}")));
    }
    Err(EventError::Unrecognised(format!(
        "expected a fetch output or a Lambda Destinations record, got {}",
        short(&event)
    )))
}

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 200 {
        format!("{}…", text.chars().take(200).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn output() -> Value {
        json!({
            "batches": [{
                "job": {"job": "news", "coin": "bitcoin"},
                "fetched_at": "2024-03-28T15:00:00Z",
                "rows": {"kind": "headlines", "items": [
                    {"url": "https://u.today/a", "coin": "bitcoin", "published_at": "2024-03-28T14:05:00Z", "title": "A"}
                ]},
                "rejections": []
            }],
            "failures": []
        })
    }

    #[test]
    fn scheduled_and_manual_events() {
        let scheduled = json!({
            "version": "0", "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa", "detail-type": "Scheduled Event",
            "source": "aws.events", "account": "123456789012", "time": "2024-03-28T21:30:00Z", "region": "us-east-1",
            "resources": ["arn:aws:events:us-east-1:123456789012:rule/tickerboard-prices"], "detail": {}
        });
        assert_eq!(
            fetch_trigger(&scheduled),
            Ok(FetchTrigger::Schedule {
                time: Some("2024-03-28T21:30:00Z".into())
            })
        );
        assert_eq!(
            fetch_trigger(&json!({})),
            Ok(FetchTrigger::Manual {
                items: None,
                full: false
            })
        );
        assert_eq!(
            fetch_trigger(&json!({"symbols": ["IBM", "TSLA"]})),
            Ok(FetchTrigger::Manual {
                full: false,
                items: Some(vec!["IBM".into(), "TSLA".into()])
            })
        );
        assert!(fetch_trigger(&json!([1, 2])).is_err());
        assert!(fetch_trigger(&json!({"symbols": "IBM"})).is_err());
        assert_eq!(
            fetch_trigger(&json!({"symbols": ["IBM"], "full": true})),
            Ok(FetchTrigger::Manual {
                items: Some(vec!["IBM".into()]),
                full: true
            })
        );
        assert!(fetch_trigger(&json!({"full": "yes"})).is_err());
        assert!(fetch_trigger(&json!({"detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2", "detail": {}})).is_err());
        assert!(
            fetch_trigger(&json!({"symbol": "IBM"})).is_err(),
            "a typo is not silently ignored"
        );
    }

    #[test]
    fn store_takes_the_batch_or_the_destinations_record() {
        let direct = store_input(output()).unwrap();
        assert_eq!(direct.batches.len(), 1);
        let record = json!({
            "version": "1.0",
            "timestamp": "2024-03-28T15:00:01.000Z",
            "requestContext": {
                "requestId": "c2a6f2ae-7dbb-4d22-8782-d0e0cf87f7a3",
                "functionArn": "arn:aws:lambda:us-east-1:123456789012:function:tickerboard-fetch-news:$LATEST",
                "condition": "Success",
                "approximateInvokeCount": 1
            },
            "requestPayload": {"version": "0", "detail-type": "Scheduled Event", "source": "aws.events", "detail": {}},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST"},
            "responsePayload": output()
        });
        assert_eq!(store_input(record).unwrap(), direct);
    }

    #[test]
    fn failure_records_and_strangers_are_errors() {
        let failure = json!({
            "version": "1.0",
            "timestamp": "2024-03-28T15:00:01.000Z",
            "requestContext": {"requestId": "x", "functionArn": "arn", "condition": "RetriesExhausted", "approximateInvokeCount": 3},
            "requestPayload": {},
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "responsePayload": {"errorType": "FetchFailed", "errorMessage": "Alpha Vantage refused: Information: 25 requests per day"}
        });
        let err = store_input(failure).unwrap_err();
        assert_eq!(
            err,
            EventError::UpstreamFailed {
                error_type: "FetchFailed".into(),
                message: "Alpha Vantage refused: Information: 25 requests per day".into()
            }
        );
        assert!(err.to_string().contains("nothing was written"));
        assert!(store_input(json!({})).is_err());
        assert!(store_input(json!({"batches": "nope"})).is_err());
        assert!(store_input(json!({"Records": []})).is_err());
    }
}
