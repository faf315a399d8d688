import Foundation
import GRDB
import TapisCore

/// A row of table `subscription`: one job's subscription, alive until `expiry` (set to the job's
/// end by its terminal event); kept after that while its notifications are still pending.
struct SubscriptionRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "subscription"

    var uuid: String
    var jobUuid: String
    var owner: String
    var tenant: String
    var name: String
    var description: String?
    var enabled: Bool
    var category: String
    var targets: String
    var ttlMinutes: Int
    var expiry: Double
    var created: Double
    var updated: Double

    init(_ request: JobSubscriptionRequest, job: Job, owner: String, now: Date) throws {
        uuid = UUID().uuidString.lowercased()
        jobUuid = job.uuid.rawValue
        self.owner = owner
        tenant = job.tenant
        name = "jobs~\(owner)~\(job.tenant)~\(job.uuid.rawValue.prefix(40))~\(Self.suffix())"
        description = request.description
        enabled = request.enabled ?? true
        category = request.eventCategoryFilter.rawValue
        targets = String(decoding: try TapisJSON.encoder().encode(request.deliveryTargets), as: UTF8.self)
        ttlMinutes = request.effectiveTTLMinutes
        expiry = now.timeIntervalSince1970 + Double(ttlMinutes * 60)
        created = now.timeIntervalSince1970
        updated = created
    }

    /// Tapis's four random letters and digits that end a subscription's name.
    private static func suffix() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<4).map { _ in alphabet.randomElement()! })
    }

    var deliveryTargets: [DeliveryTarget] {
        (try? TapisJSON.decoder().decode([DeliveryTarget].self, from: Data(targets.utf8))) ?? []
    }

    func subscription(deliveries: [DeliveryStatus]) -> JobSubscription {
        JobSubscription(
            uuid: uuid, name: name, tenant: tenant, owner: owner, description: description, enabled: enabled,
            category: JobEventCategory(rawValue: category) ?? .all, job: JobUUID(rawValue: jobUuid), deliveryTargets: deliveryTargets,
            ttlMinutes: ttlMinutes, expiry: Date(timeIntervalSince1970: expiry), created: Date(timeIntervalSince1970: created),
            updated: Date(timeIntervalSince1970: updated), deliveries: deliveries)
    }
}
