//! deploy/template.yaml checked where cfn-lint cannot see: every schedule expression against
//! EventBridge's grammar, and every function's SSM grant against what its code reads.
//! (cfn-lint does not look inside the rules SAM generates from `Events: … Schedule`.)

use std::str::FromStr;

const TEMPLATE: &str = include_str!("../../../deploy/template.yaml");

/// Checks an EventBridge rule schedule: `rate(N unit)` or six-field `cron(…)`.
fn check(expression: &str) -> Result<(), String> {
    if let Some(inner) = expression
        .strip_prefix("rate(")
        .and_then(|e| e.strip_suffix(')'))
    {
        let (value, unit) = inner
            .split_once(' ')
            .ok_or("rate needs a value and a unit")?;
        let value: u32 = value
            .parse()
            .map_err(|_| format!("rate value {value:?} is not a positive integer"))?;
        if value == 0 {
            return Err("rate value must be positive".into());
        }
        let singular = ["minute", "hour", "day"];
        let plural = ["minutes", "hours", "days"];
        match (value == 1, singular.contains(&unit), plural.contains(&unit)) {
            (true, true, _) | (false, _, true) => return Ok(()),
            _ => {
                return Err(format!(
                    "rate({inner}): the unit must be singular for 1, plural otherwise"
                ))
            }
        }
    }
    let inner = expression
        .strip_prefix("cron(")
        .and_then(|e| e.strip_suffix(')'))
        .ok_or_else(|| format!("{expression:?} is neither rate(…) nor cron(…)"))?;
    let fields: Vec<&str> = inner.split(' ').collect();
    if fields.len() != 6 {
        return Err(format!(
            "cron needs 6 fields (minutes hours day-of-month month day-of-week year), has {}",
            fields.len()
        ));
    }
    let (dom, dow) = (fields[2], fields[4]);
    match (dom == "?", dow == "?") {
        (true, true) => return Err("day-of-month and day-of-week cannot both be '?'".into()),
        (false, false) => return Err("one of day-of-month and day-of-week must be '?'".into()),
        _ => {}
    }
    if fields[0].contains('*') && fields[1].contains('*') && !fields[0].contains('/') {
        return Err("a schedule faster than once a minute is not allowed".into());
    }
    let year = fields[5];
    if year != "*" {
        for part in year.split([',', '-', '/']) {
            let y: u32 = part.parse().map_err(|_| format!("year {year:?}"))?;
            if !(1970..=2199).contains(&y) && !year.contains('/') {
                return Err(format!("year {y} is outside 1970-2199"));
            }
        }
    }
    // The field values themselves (ranges, lists, steps, names) by the cron crate,
    // which reads Quartz-style expressions: seconds first, '?' allowed.
    cron::Schedule::from_str(&format!("0 {inner}")).map_err(|e| format!("{inner}: {e}"))?;
    Ok(())
}

/// Every `cron(…)` or `rate(…)` in the template.
fn expressions(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for start in ["cron(", "rate("] {
        let mut rest = text;
        while let Some(i) = rest.find(start) {
            let tail = &rest[i..];
            let end = tail.find(')').expect("closing parenthesis");
            found.push(tail[..=end].to_string());
            rest = &tail[end + 1..];
        }
    }
    found
}

#[test]
fn every_schedule_in_the_template_is_valid() {
    let found = expressions(TEMPLATE);
    assert!(
        found.len() >= 4,
        "the fetch functions are scheduled: {found:?}"
    );
    assert!(
        found.contains(&"cron(30 21 ? * MON-FRI *)".to_string()),
        "prices on weekdays after the US close"
    );
    for e in &found {
        check(e).unwrap_or_else(|why| panic!("{e}: {why}"));
    }
    // Every schedule line in the template was found.
    let schedule_lines = TEMPLATE
        .lines()
        .filter(|l| l.trim_start().starts_with("Schedule:"))
        .count();
    assert_eq!(schedule_lines, found.len());
}

#[test]
fn the_checker_rejects_what_eventbridge_rejects() {
    for bad in [
        "cron(30 21 * * MON-FRI *)", // both day fields given
        "cron(30 21 ? * ? *)",       // neither
        "cron(30 21 * *)",           // five fields, Unix style
        "cron(0 25 * * ? *)",        // hour 25
        "cron(61 1 * * ? *)",        // minute 61
        "cron(0 1 * 13 ? *)",        // month 13
        "cron(0 1 ? * FUNDAY *)",    // day name
        "cron(0 1 * * ? 1969)",      // year
        "rate(1 hours)",
        "rate(5 minute)",
        "rate(0 minutes)",
        "every day",
    ] {
        assert!(check(bad).is_err(), "{bad} should be rejected");
    }
    for good in [
        "cron(30 21 ? * MON-FRI *)",
        "cron(0/15 * * * ? *)",
        "cron(0 12 1 * ? 2030)",
        "rate(1 day)",
        "rate(10 minutes)",
    ] {
        check(good).unwrap_or_else(|why| panic!("{good}: {why}"));
    }
}

/// Each function in the template may read exactly the SSM parameters its code asks for
/// (`FunctionConfig::secret_names`): no more (least privilege), no fewer (or its cold
/// start fails with AccessDenied).
#[test]
fn every_function_may_read_exactly_the_secrets_it_reads() {
    use ingest_lambda::config::{FunctionConfig, JobKind, Role};

    struct Function {
        name: String,
        code: String,
        job: Option<String>,
        granted: Vec<String>,
    }
    let mut functions: Vec<Function> = Vec::new();
    let mut current: Option<Function> = None;
    for line in TEMPLATE.lines() {
        // A resource starts at two spaces of indentation.
        if line.starts_with("  ") && !line.starts_with("   ") && line.trim_end().ends_with(':') {
            functions.extend(current.take().filter(|f| !f.code.is_empty()));
            current = Some(Function {
                name: line.trim().trim_end_matches(':').into(),
                code: String::new(),
                job: None,
                granted: Vec::new(),
            });
            continue;
        }
        let Some(f) = current.as_mut() else { continue };
        let t = line.trim();
        if let Some(uri) = t.strip_prefix("CodeUri: ") {
            f.code = uri.to_string();
        } else if let Some(job) = t.strip_prefix("TICKERBOARD_JOB: ") {
            f.job = Some(job.to_string());
        } else if let Some(i) = t.find(":parameter${SsmParameterPrefix}") {
            let name = &t[i + ":parameter${SsmParameterPrefix}".len()..];
            f.granted.push(name.trim_end_matches('"').to_string());
        }
    }
    functions.extend(current.take().filter(|f| !f.code.is_empty()));
    assert_eq!(
        functions.len(),
        9,
        "{:?}",
        functions.iter().map(|f| &f.name).collect::<Vec<_>>()
    );

    for f in &functions {
        if f.code.contains("/dashboard/") {
            // The server reads the one parameter its environment names.
            let (_, _, lines) = resources()
                .into_iter()
                .find(|(n, _, _)| *n == f.name)
                .unwrap();
            let read = lines
                .iter()
                .find_map(|l| l.strip_prefix("DASHBOARD_DATABASE_PARAMETER: "))
                .expect("the dashboard names its database parameter");
            assert_eq!(
                read,
                r#"!Sub "${SsmParameterPrefix}${DashboardDatabaseParameter}""#
            );
            assert_eq!(
                f.granted,
                ["${DashboardDatabaseParameter}"],
                "{}: reads its own parameter and nothing else",
                f.name
            );
            continue;
        }
        let role = if f.code.contains("/fetch/") {
            Role::Fetch
        } else if f.code.contains("/store/") {
            Role::Store
        } else if f.code.contains("/pipeline/") {
            Role::Pipeline
        } else {
            panic!("{}: unknown code {}", f.name, f.code)
        };
        let job = f.job.as_deref().map(|j| match j {
            "prices" => JobKind::Prices,
            "crypto" => JobKind::Crypto,
            "news" => JobKind::News,
            "weather" => JobKind::Weather,
            other => panic!("{}: unknown job {other}", f.name),
        });
        let config = FunctionConfig {
            job,
            items: Vec::new(),
            crypto_market: "USD".into(),
            report_topic: None,
            alert_topic: None,
            export_bucket: None,
            export_prefix: String::new(),
            ssm_prefix: Some("/tickerboard/".into()),
            window_days: 10,
        };
        let mut wanted: Vec<String> = config
            .secret_names(role)
            .into_iter()
            .map(str::to_string)
            .collect();
        let mut granted = f.granted.clone();
        wanted.sort();
        granted.sort();
        assert_eq!(
            granted, wanted,
            "{}: the IAM grant and the code disagree",
            f.name
        );
    }
}

/// The template's resources: name, `Type`, and the lines of its body.
fn resources() -> Vec<(String, String, Vec<String>)> {
    let body = TEMPLATE
        .split("\nResources:\n")
        .nth(1)
        .and_then(|rest| rest.split("\nOutputs:").next())
        .expect("Resources, then Outputs");
    let mut found: Vec<(String, String, Vec<String>)> = Vec::new();
    for line in body.lines() {
        if line.starts_with("  ") && !line.starts_with("   ") && line.trim_end().ends_with(':') {
            found.push((
                line.trim().trim_end_matches(':').into(),
                String::new(),
                Vec::new(),
            ));
        } else if let Some((_, kind, lines)) = found.last_mut() {
            if let Some(t) = line.strip_prefix("    Type: ") {
                *kind = t.trim().to_string();
            }
            lines.push(line.trim().to_string());
        }
    }
    found
}

/// No function can fail unheard: each has an OnFailure destination to the alert topic,
/// an alarm on `Errors` and one on `DestinationDeliveryFailures` (both to the alert
/// topic, under the function's own condition), and its own log group with a retention.
/// Every store function exports what it stored, for the Athena tables.
#[test]
fn every_function_has_a_failure_destination_alarms_a_kept_log_and_exports() {
    let all = resources();
    let find = |name: &str| all.iter().find(|(n, _, _)| n == name);
    let condition = |lines: &[String]| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix("Condition: ").map(str::to_string))
    };
    let functions: Vec<_> = all
        .iter()
        .filter(|(_, kind, _)| kind == "AWS::Serverless::Function")
        .collect();
    assert_eq!(functions.len(), 9);
    let mut missing = Vec::new();
    for (name, _, lines) in functions {
        let text = lines.join("\n");
        // Called synchronously through its URL (the dashboard): a failure is the
        // reader's answer, so no destination; the alarm on its errors still alerts.
        let synchronous = text.contains("FunctionUrlConfig:");
        if !synchronous && !text.contains("OnFailure:\nType: SNS\nDestination: !Ref AlertTopic") {
            missing.push(format!("{name}: no OnFailure destination to AlertTopic"));
        }
        let metrics: &[&str] = if synchronous {
            &["Errors"]
        } else {
            &["Errors", "DestinationDeliveryFailures"]
        };
        for metric in metrics {
            let alarm = all.iter().find(|(_, kind, alarm)| {
                kind == "AWS::CloudWatch::Alarm"
                    && alarm.contains(&format!("MetricName: {metric}"))
                    && alarm.contains(&format!("Value: !Ref {name}"))
            });
            match alarm {
                None => missing.push(format!("{name}: no alarm on {metric}")),
                Some((alarm_name, _, alarm)) => {
                    if !alarm.iter().any(|l| l == "AlarmActions: [!Ref AlertTopic]") {
                        missing.push(format!("{alarm_name}: does not alert"));
                    }
                    if condition(alarm) != condition(lines) {
                        missing.push(format!("{alarm_name}: not under {name}'s condition"));
                    }
                }
            }
        }
        let stores = lines.iter().any(|l| l.contains("lambda/store/"));
        if stores
            && !(text.contains("EXPORT_BUCKET: !Ref ExportBucket")
                && text.contains("S3WritePolicy:\nBucketName: !Ref ExportBucket"))
        {
            missing.push(format!("{name}: stores but does not export for Athena"));
        }
        let log_group = lines
            .iter()
            .find_map(|l| l.strip_prefix("LogGroup: !Ref "))
            .and_then(find);
        match log_group {
            Some((_, kind, group))
                if kind == "AWS::Logs::LogGroup"
                    && group.iter().any(|l| l.starts_with("RetentionInDays: ")) => {}
            _ => missing.push(format!("{name}: no log group with a retention")),
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

/// The functions' timeout fits the worst case of the retry policy for the template's
/// default jobs: every attempt of every job timing out, every backoff, the pace of
/// Alpha Vantage, and the time kept to store and report.
#[test]
fn the_timeout_fits_the_worst_case_of_the_default_jobs() {
    use ingest::{Fetcher, Job, SourceSettings};
    let parameter_count = |name: &str| {
        let after = TEMPLATE.split(&format!("\n  {name}:\n")).nth(1).unwrap();
        let default = after
            .lines()
            .find_map(|l| l.trim().strip_prefix("Default: "))
            .unwrap();
        default.split(',').count() as u32
    };
    let timeout: u32 = TEMPLATE
        .split("\nGlobals:")
        .nth(1)
        .and_then(|g| g.lines().find_map(|l| l.trim().strip_prefix("Timeout: ")))
        .and_then(|t| t.parse().ok())
        .expect("a Timeout in Globals");
    let fetcher = Fetcher::new(SourceSettings::default());
    let symbol = store::Symbol::parse("IBM").unwrap();
    let coin = store::Coin::parse("bitcoin").unwrap();
    let stock = fetcher.worst_case(&Job::Prices {
        symbol: symbol.clone(),
        full: false,
    });
    let crypto = fetcher.worst_case(&Job::Crypto {
        symbol,
        market: "USD".into(),
    });
    let news = fetcher.worst_case(&Job::News { coin });
    let store_and_report = std::time::Duration::from_secs(15);
    for (what, needs) in [
        (
            "prices",
            stock * parameter_count("StockSymbols") + store_and_report,
        ),
        (
            "crypto",
            crypto * parameter_count("CryptoSymbols") + store_and_report,
        ),
        (
            "news",
            news * parameter_count("NewsCoins") + store_and_report,
        ),
    ] {
        assert!(
            needs.as_secs() <= u64::from(timeout),
            "{what} may take {needs:?}, the timeout is {timeout} s"
        );
    }
}

const DEPLOY_PERMISSIONS: &str = include_str!("../../../deploy/iam/deploy-permissions.json");
const FUNCTION_BOUNDARY: &str = include_str!("../../../deploy/iam/function-boundary.json");
const BOUNDARY_NAME: &str = "tickerboard-function-boundary";

/// A policy's statements of `effect`, each with its actions.
fn statements(policy: &str, effect: &str) -> Vec<(serde_json::Value, Vec<String>)> {
    let policy: serde_json::Value = serde_json::from_str(policy).expect("a JSON policy");
    policy["Statement"]
        .as_array()
        .expect("statements")
        .iter()
        .filter(|s| s["Effect"] == effect)
        .map(|s| {
            let actions = match &s["Action"] {
                serde_json::Value::String(a) => vec![a.clone()],
                serde_json::Value::Array(all) => all
                    .iter()
                    .map(|a| a.as_str().expect("an action").to_string())
                    .collect(),
                other => panic!("no actions: {other}"),
            };
            (s.clone(), actions)
        })
        .collect()
}

/// The deploy role cannot make itself (or anyone) admin through the functions' roles:
/// it creates and changes `tickerboard-*` roles only when they carry the boundary,
/// passes them to Lambda only, may never loosen or replace the boundary, and holds no
/// IAM action on every resource. The template puts the same boundary on every function.
#[test]
fn the_functions_roles_are_capped_by_a_boundary_the_deploy_role_cannot_loosen() {
    let boundary_arn = format!("arn:aws:iam::<ACCOUNT_ID>:policy/{BOUNDARY_NAME}");
    let globals = TEMPLATE
        .split("\nGlobals:\n")
        .nth(1)
        .and_then(|rest| rest.split("\nResources:").next())
        .expect("Globals");
    assert!(
        globals.contains(&format!(
            r#"PermissionsBoundary: !Sub "arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:policy/{BOUNDARY_NAME}""#
        )),
        "every function's role carries the boundary"
    );
    assert!(
        !TEMPLATE.contains("AWS::IAM::Role") && !TEMPLATE.contains("\n      Role:"),
        "no role outside SAM's, which all carry the global boundary"
    );

    let allowed = statements(DEPLOY_PERMISSIONS, "Allow");
    let writes_roles = [
        "iam:CreateRole",
        "iam:PutRolePolicy",
        "iam:AttachRolePolicy",
    ];
    for (statement, actions) in &allowed {
        let iam: Vec<&String> = actions.iter().filter(|a| a.starts_with("iam:")).collect();
        if iam.is_empty() {
            continue;
        }
        assert!(
            actions.iter().all(|a| a != "iam:*" && !a.ends_with(":*")),
            "no wildcard IAM action: {statement}"
        );
        assert_ne!(
            statement["Resource"], "*",
            "IAM only on the functions' roles: {statement}"
        );
        if actions.iter().any(|a| writes_roles.contains(&a.as_str())) {
            assert_eq!(
                statement["Condition"]["StringEquals"]["iam:PermissionsBoundary"],
                boundary_arn.as_str(),
                "roles written only with the boundary: {statement}"
            );
        }
        if actions.iter().any(|a| a == "iam:PassRole") {
            assert_eq!(
                statement["Condition"]["StringEquals"]["iam:PassedToService"],
                "lambda.amazonaws.com",
                "roles passed to Lambda only: {statement}"
            );
        }
    }
    for action in writes_roles.iter().chain(&["iam:PassRole"]) {
        assert!(
            allowed.iter().any(|(_, a)| a.iter().any(|x| x == action)),
            "{action} is granted (SAM needs it)"
        );
    }
    let denied: Vec<String> = statements(DEPLOY_PERMISSIONS, "Deny")
        .into_iter()
        .filter(|(s, _)| s["Resource"] == "*")
        .flat_map(|(_, a)| a)
        .collect();
    for action in [
        "iam:DeleteRolePermissionsBoundary",
        "iam:PutRolePermissionsBoundary",
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:DeletePolicy",
    ] {
        assert!(denied.iter().any(|a| a == action), "{action} is denied");
    }
}

/// The boundary lets every function do what the template grants it, and no more than
/// that kind of thing: a boundary narrower than the grants would break the refresh
/// only in production, where no test runs.
#[test]
fn the_boundary_allows_every_action_the_template_grants() {
    let boundary = statements(FUNCTION_BOUNDARY, "Allow");
    let allowed: Vec<&String> = boundary.iter().flat_map(|(_, a)| a).collect();
    assert!(
        statements(FUNCTION_BOUNDARY, "Deny").is_empty()
            && !allowed.iter().any(|a| a.starts_with("iam:")),
        "the boundary grants no IAM action"
    );
    // What the template grants, by SAM's policy templates and its own statements.
    let mut granted: Vec<&str> = vec![
        // AWSLambdaBasicExecutionRole, on every function.
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ];
    if TEMPLATE.contains("SNSPublishMessagePolicy") || TEMPLATE.contains("Type: SNS") {
        granted.push("sns:Publish");
    }
    if TEMPLATE.contains("S3WritePolicy") {
        granted.extend([
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:PutLifecycleConfiguration",
        ]);
    }
    if TEMPLATE.contains("Type: Lambda") {
        granted.push("lambda:InvokeFunction");
    }
    for line in TEMPLATE.lines() {
        if let Some(action) = line.trim().strip_prefix("Action: ") {
            granted.push(action.trim());
        }
    }
    for action in granted {
        assert!(
            allowed.iter().any(|a| *a == action),
            "{action} is granted by the template but not allowed by the boundary"
        );
    }
    // The secrets the boundary allows are under the template's default prefix.
    let prefix = TEMPLATE
        .split("SsmParameterPrefix:")
        .nth(1)
        .and_then(|rest| {
            rest.lines()
                .find_map(|l| l.trim().strip_prefix("Default: "))
        })
        .expect("the prefix's default");
    assert!(
        FUNCTION_BOUNDARY.contains(&format!(":parameter{prefix}*")),
        "the boundary reads {prefix}*"
    );
    // The functions log to their own groups (LoggingConfig), which the boundary must
    // let them write, or their logs are lost without a sound.
    for line in TEMPLATE.lines() {
        if let Some(group) = line.trim().strip_prefix("LogGroupName: !Sub \"") {
            let top = group.split('$').next().unwrap();
            assert!(
                FUNCTION_BOUNDARY.contains(&format!(":log-group:{top}*")),
                "the boundary lets the functions write to {group}"
            );
        }
    }
}

/// The body of resource `name`: its lines up to the next resource (or section).
fn resource_text(name: &str) -> String {
    let start = TEMPLATE
        .find(&format!("\n  {name}:\n"))
        .unwrap_or_else(|| panic!("{name} in the template"));
    TEMPLATE[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.is_empty() || l.starts_with("   "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The dashboard online (#23): CloudFront keeps what the origin's `Cache-Control`
/// allows and no more (no TTL of its own), keys each view by its whole URL and the
/// encoding, forwards the reader's headers but Host, compresses, and streams from the
/// function URL; the stack says where the site is.
#[test]
fn the_distribution_follows_the_dashboards_own_cache_headers() {
    let policy = resource_text("DashboardCachePolicy");
    for line in [
        "MinTTL: 0",
        "DefaultTTL: 0",
        "MaxTTL: 31536000",
        "EnableAcceptEncodingBrotli: true",
        "EnableAcceptEncodingGzip: true",
        "QueryStringBehavior: all",
        "HeaderBehavior: none",
        "CookieBehavior: none",
    ] {
        assert!(
            policy.lines().any(|l| l.trim() == line),
            "cache policy: {line}\n{policy}"
        );
    }
    let distribution = resource_text("DashboardDistribution");
    for line in [
        "CachePolicyId: !Ref DashboardCachePolicy",
        "Compress: true",
        "ViewerProtocolPolicy: redirect-to-https",
        // Managed-AllViewerExceptHostHeader.
        "OriginRequestPolicyId: b689b0a8-53d0-40ab-baf2-68738e2966ac",
        "OriginProtocolPolicy: https-only",
        "CachedMethods: [GET, HEAD]",
    ] {
        assert!(
            distribution.lines().any(|l| l.trim() == line),
            "distribution: {line}"
        );
    }
    assert!(distribution.contains("!GetAtt DashboardFunctionUrl.FunctionUrl"));
    assert!(
        distribution.contains("POST"),
        "the server functions get through"
    );
    let function = resource_text("DashboardFunction");
    assert!(
        function.contains("InvokeMode: RESPONSE_STREAM"),
        "CSV downloads stream"
    );
    assert!(function.contains("CodeUri: ../target/lambda/dashboard/bootstrap.zip"));
    assert!(
        TEMPLATE.contains("\n  DashboardUrl:\n"),
        "the stack outputs the site's URL"
    );
    // The page's own policy is what CloudFront will keep: shared caches, briefly.
    let page_policy = include_str!("../../../server/src/page_cache.rs");
    assert!(
        page_policy.contains("s-maxage="),
        "the page tells CDNs how long"
    );
}
