import Foundation
import TapisCore
import TapisTestSupport
import Testing

/// Tapis's subscription request, its merge with the app's, and the event JSON notifications carry.
@Suite struct SubscriptionRequestTests {
    static func decode(_ json: String) throws -> JobSubscriptionRequest {
        try TapisJSON.decode(JobSubscriptionRequest.self, from: Data(json.utf8))
    }

    static func refusal(_ json: String) -> String? {
        do {
            try decode(json).validate()
            return nil
        } catch {
            return (error as? TapisError)?.message ?? "\(error)"
        }
    }

    static let hook = #"{"deliveryMethod":"WEBHOOK","deliveryAddress":"https://portal.example.org/hook"}"#

    @Test func ttlDefaultsCapsAndTakesTapipysSpelling() throws {
        #expect(try Self.decode(#"{"eventCategoryFilter":"ALL","deliveryTargets":[\#(Self.hook)]}"#).effectiveTTLMinutes == 10_080)
        #expect(try Self.decode(#"{"eventCategoryFilter":"ALL","ttlMinutes":0,"deliveryTargets":[\#(Self.hook)]}"#).effectiveTTLMinutes == 10_080)
        #expect(try Self.decode(#"{"eventCategoryFilter":"ALL","ttlminutes":60,"deliveryTargets":[\#(Self.hook)]}"#).effectiveTTLMinutes == 60)
        #expect(try Self.decode(#"{"eventCategoryFilter":"ALL","ttlMinutes":99999,"deliveryTargets":[\#(Self.hook)]}"#).effectiveTTLMinutes == 40_320)
    }

    @Test(arguments: [
        (#"{"eventCategoryFilter":"JOB_ANYTHING","deliveryTargets":[\#(hook)]}"#, "eventCategoryFilter: \"JOB_ANYTHING\" is not an event category"),
        (#"{"deliveryTargets":[\#(hook)]}"#, "eventCategoryFilter: is required"),
        (#"{"eventCategoryFilter":"ALL"}"#, "deliveryTargets: is required"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[]}"#, "deliveryTargets: needs at least one target"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[\#(hook),\#(hook)]}"#, "deliveryTargets: names the same target twice"),
        (#"{"eventCategoryFilter":"ALL","ttlMinutes":-1,"deliveryTargets":[\#(hook)]}"#, "ttlMinutes: must be 0 or more"),
        (#"{"eventCategoryFilter":"ALL","name":"x","deliveryTargets":[\#(hook)]}"#, "name: is not a field of a Tapis subscription request"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[{"deliveryMethod":"QUEUE","deliveryAddress":"q"}]}"#, "deliveryMethod: \"QUEUE\" is not supported"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[{"deliveryAddress":"https://a.org/"}]}"#, "deliveryMethod: is required"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[{"deliveryMethod":"WEBHOOK","deliveryAddress":""}]}"#, "deliveryAddress: must be 1 to 2048"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[{"deliveryMethod":"WEBHOOK","deliveryAddress":"file:///etc/passwd"}]}"#, "is not an http or https URL"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[{"deliveryMethod":"WEBHOOK","deliveryAddress":"https://u:p@a.org/"}]}"#, "must not carry a user name"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[{"deliveryMethod":"WEBHOOK","deliveryAddress":"https://a.org/ x"}]}"#, "must not contain spaces"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[{"deliveryMethod":"EMAIL","deliveryAddress":"alice"}]}"#, "is not an email address"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[{"deliveryMethod":"EMAIL","deliveryAddress":"a@b.org\r\nBcc: c@d.org"}]}"#, "must not contain spaces or control"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[{"deliveryMethod":"EMAIL","deliveryAddress":"<a@b.org>"}]}"#, "is not an email address"),
        (#"{"eventCategoryFilter":"ALL","deliveryTargets":[{"deliveryMethod":"WEBHOOK","deliveryAddress":"https://a.org/","x":1}]}"#, "x: is not a field of a delivery target"),
    ])
    func badRequestsAreRefusedNamingTheField(json: String, expected: String) {
        let message = Self.refusal(json)
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }

    @Test func tooManyTargetsAreRefused() {
        let targets = (0...JobSubscriptionRequest.maxTargets).map { #"{"deliveryMethod":"WEBHOOK","deliveryAddress":"https://a.org/\#($0)"}"# }
        #expect(Self.refusal(#"{"eventCategoryFilter":"ALL","deliveryTargets":[\#(targets.joined(separator: ","))]}"#)?.contains("at most 10 targets") == true)
    }

    @Test func categoriesMatchTheirOwnEventsAndAllMatchesEvery() {
        #expect(JobEventCategory.newStatus.matches("JOB_NEW_STATUS"))
        #expect(!JobEventCategory.newStatus.matches("JOB_USER_EVENT"))
        #expect(JobEventCategory.all.matches("JOB_USER_EVENT"))
        #expect(JobEventCategory.all.typeFilter == "jobs.*.*")
        #expect(JobEventCategory.userEvent.typeFilter == "jobs.JOB_USER_EVENT.*")
    }

    @Test func theRequestsSubscriptionsComeFirstThenTheAppsAndBothAreChecked() throws {
        var app = TapisApp(id: "hello", version: "1.0")
        app.containerImage = "/apps/hello.tgz"
        var attributes = TapisApp.JobAttributes()
        attributes.subscriptions = [
            AppSubscription(jobEventCategoryFilter: "JOB_ERROR_MESSAGE", deliveryTargets: [DeliveryTarget(deliveryMethod: .email, deliveryAddress: "ops@example.org")])
        ]
        app.jobAttributes = attributes
        var request = JobSubmitRequest(name: "n", appId: "hello", appVersion: "1.0")
        request.subscriptions = [try Self.decode(#"{"eventCategoryFilter":"JOB_NEW_STATUS","deliveryTargets":[\#(Self.hook)]}"#)]
        let resolver = JobResolver(request: request, app: app, systems: [:], owner: "alice", tenant: "t", uuid: .random(), now: Job.now())
        #expect(try resolver.subscriptions().map(\.eventCategoryFilter) == [.newStatus, .errorMessage])

        app.jobAttributes?.subscriptions?[0].jobEventCategoryFilter = "JOB_WHATEVER"
        let bad = JobResolver(request: request, app: app, systems: [:], owner: "alice", tenant: "t", uuid: .random(), now: Job.now())
        #expect(throws: TapisError.self) { try bad.subscriptions() }
    }

    @Test func eventDataIsTapisJSONWithNullsAndTheNotificationCarriesItAsAString() throws {
        var job = try SampleJob.make()
        job.name = "sweep-1"
        let pending = try TapisJSON.decode(JSONValue.self, from: Data(JobEventData.newStatus(job, previous: nil).utf8))
        #expect(pending == .object([
            "newJobStatus": .string("PENDING"), "oldJobStatus": .null, "jobName": .string("sweep-1"), "jobUuid": .string(job.uuid.rawValue),
            "jobOwner": .string("alice"), "message": .string("The job has transitioned to a new status: PENDING."),
        ]))
        job.status = .failed
        job.condition = .remoteOutcomeError
        guard case .object(let failed) = try TapisJSON.decode(JSONValue.self, from: Data(JobEventData.newStatus(job, previous: .running).utf8)) else {
            Issue.record("not an object")
            return
        }
        #expect(failed["message"] == .string("The job has transitioned to a new status: FAILED. The previous job status was RUNNING."))
        #expect(failed["condition"] == .string("JOB_REMOTE_OUTCOME_ERROR"))
        #expect(failed["remoteJobId"] == .null && failed["blockedCount"] == .number(0))

        let event = TapisEvent(uuid: "e1", job: job.uuid, tenant: "t", category: "JOB_NEW_STATUS", detail: "FAILED", data: #"{"a":1}"#, sequence: 9, at: Date())
        #expect(event.deleteSubscriptionsMatchingSubject && event.type == "jobs.JOB_NEW_STATUS.FAILED")
        let notification = TapisNotification(uuid: "n1", subscriptionName: "s", event: event, target: DeliveryTarget(deliveryMethod: .webhook, deliveryAddress: "https://a.org/"), created: Date())
        guard case .object(let body) = try TapisJSON.decode(JSONValue.self, from: try notification.body()), case .object(let sent) = body["event"] else {
            Issue.record("not an object")
            return
        }
        #expect(sent["data"] == .string(#"{"a":1}"#))
        #expect(body["eventUuid"] == .string("e1") && body["tenant"] == .string("t"))
        #expect(notification.emailSubject == "Tapis v3 notification. Event type: jobs.JOB_NEW_STATUS.FAILED subject: \(job.uuid)")
    }
}
