//! The serving loop over in-memory pipes: requests run concurrently (a slow one does not
//! hold a fast one back), progress frames carry the request id, `cancel` answers the request
//! with an outcome-unknown error, a second handshake is answered, and `stop` ends the loop.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use strata_plugin_protocol::{Call, Frame, PROTOCOL_VERSION, Reply, WireValue, decode_frame, encode_frame};
use strata_provider::{
    ApplyRequest, ApplyResponse, FindRequest, PlanRequest, PlanResponse, Progress, Provider, ProviderError, ReadRequest,
};
use strata_provider_sdk::{PluginInfo, serve};
use strata_schema::ProviderSchema;
use strata_value::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Apply sleeps for the `delay_ms` in its config, reporting progress first.
struct Sleepy;

#[async_trait]
impl Provider for Sleepy {
    fn schema(&self) -> ProviderSchema {
        ProviderSchema::default()
    }
    async fn configure(&self, _: Value) -> Result<(), ProviderError> {
        Ok(())
    }
    async fn plan(&self, request: PlanRequest) -> Result<PlanResponse, ProviderError> {
        Ok(PlanResponse { planned: request.config, requires_replace: vec![] })
    }
    async fn apply(&self, request: ApplyRequest) -> Result<ApplyResponse, ProviderError> {
        request.progress.report(Progress::steps("working", 1, 2));
        let delay =
            request.config.as_mapping().and_then(|m| m.get("delay_ms")).and_then(Value::as_number).unwrap_or(0.0);
        tokio::time::sleep(Duration::from_millis(delay as u64)).await;
        Ok(ApplyResponse { new_state: request.planned })
    }
    async fn read(&self, request: ReadRequest) -> Result<Option<Value>, ProviderError> {
        Ok(Some(request.current))
    }
    async fn find_by_token(&self, _: FindRequest) -> Result<Option<Value>, ProviderError> {
        Ok(None)
    }
    async fn import(&self, _: &str, _: &str) -> Result<Option<Value>, ProviderError> {
        Ok(None)
    }
}

fn apply(delay_ms: f64) -> Call {
    let config = Value::Map(BTreeMap::from([("delay_ms".to_owned(), Value::Number(delay_ms))]));
    Call::ApplyResourceChange {
        type_name: "t".into(),
        prior: None,
        planned: Some(WireValue(config.clone())),
        config: WireValue(config),
        idempotency_token: "tok".into(),
    }
}

/// Runs the server and returns every frame it wrote, in order.
async fn exchange(frames: Vec<Frame>, pause_after: Option<usize>) -> Vec<Frame> {
    let (mut engine_out, plugin_in) = tokio::io::duplex(1 << 16);
    let (plugin_out, engine_in) = tokio::io::duplex(1 << 16);
    let server =
        tokio::spawn(serve(Arc::new(Sleepy), PluginInfo { name: "sleepy", version: "1" }, plugin_in, plugin_out));
    for (i, frame) in frames.iter().enumerate() {
        engine_out.write_all(encode_frame(frame).unwrap().as_bytes()).await.unwrap();
        if Some(i) == pause_after {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    // Every exchange ends with `stop` or the engine closing the plugin's stdin.
    drop(engine_out);
    let mut lines = BufReader::new(engine_in).lines();
    let mut received = Vec::new();
    while let Ok(Ok(Some(line))) = tokio::time::timeout(Duration::from_secs(10), lines.next_line()).await {
        received.push(decode_frame(&line).unwrap());
    }
    server.await.unwrap().unwrap();
    received
}

fn response_ids(frames: &[Frame]) -> Vec<u64> {
    frames.iter().filter_map(|f| if let Frame::Response { id, .. } = f { Some(*id) } else { None }).collect()
}

#[tokio::test]
async fn requests_run_concurrently_and_stop_waits_for_them() {
    let handshake = Call::Handshake { protocol_versions: vec![PROTOCOL_VERSION], engine_version: "t".into() };
    let frames = vec![
        Frame::Request { id: 1, call: handshake },
        Frame::Request { id: 2, call: apply(400.0) },
        Frame::Request { id: 3, call: apply(0.0) },
        Frame::Request { id: 4, call: Call::Stop {} },
    ];
    let received = exchange(frames, Some(2)).await;
    // The fast request (3) answers before the slow one (2), which stop (4) waited for.
    assert_eq!(response_ids(&received), vec![1, 3, 2, 4]);
    let progress: Vec<u64> =
        received.iter().filter_map(|f| if let Frame::Progress { id, .. } = f { Some(*id) } else { None }).collect();
    assert!(progress.contains(&2) && progress.contains(&3), "{received:?}");
}

#[tokio::test]
async fn cancel_answers_the_request_with_an_unknown_outcome() {
    let frames = vec![
        Frame::Request { id: 7, call: apply(60_000.0) },
        Frame::Cancel { id: 7 },
        Frame::Request { id: 8, call: Call::Stop {} },
    ];
    let received = exchange(frames, Some(0)).await;
    let Some(Frame::Response { outcome, .. }) = received.iter().find(|f| matches!(f, Frame::Response { id: 7, .. }))
    else {
        panic!("no answer to the cancelled request: {received:?}")
    };
    let error = outcome.clone().into_result().unwrap_err();
    assert!(error.outcome_unknown, "{error:?}");
    assert_eq!(response_ids(&received), vec![7, 8], "exactly one answer per request");
}

#[tokio::test]
async fn an_engine_of_another_protocol_version_is_refused_with_both_versions() {
    let handshake = Call::Handshake { protocol_versions: vec![99], engine_version: "t".into() };
    let frames = vec![Frame::Request { id: 1, call: handshake }, Frame::Request { id: 2, call: Call::Stop {} }];
    let received = exchange(frames, None).await;
    let Some(Frame::Response { outcome, .. }) = received.first() else { panic!("{received:?}") };
    let error = outcome.clone().into_result().unwrap_err();
    assert!(error.message.contains("version 1") && error.message.contains("[99]"), "{}", error.message);
}

#[tokio::test]
async fn the_reply_names_its_method() {
    let frames =
        vec![Frame::Request { id: 1, call: Call::GetSchema {} }, Frame::Request { id: 2, call: Call::Stop {} }];
    let received = exchange(frames, None).await;
    let Some(Frame::Response { outcome, .. }) = received.first() else { panic!("{received:?}") };
    assert!(matches!(outcome.clone().into_result(), Ok(Reply::GetSchema { .. })));
}
