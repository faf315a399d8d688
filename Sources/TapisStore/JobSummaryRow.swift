import Foundation
import GRDB
import TapisCore

/// A job's summary as one row of a listing: the columns of table `job`, and the four summary
/// fields that only the JSON body holds, extracted by SQLite.
enum JobSummaryRow {
    static let columns: SQL = """
        uuid, name, owner, appId, appVersion, created, status, ended, execSystemId, lastUpdated,
        json_extract(body, '$.condition') AS condition, json_extract(body, '$.remoteStarted') AS remoteStarted,
        json_extract(body, '$.tenant') AS tenant, json_extract(body, '$.archiveSystemId') AS archiveSystemId
        """

    static func summary(_ row: Row) throws -> JobSummary {
        let status: String = row["status"]
        guard let jobStatus = JobStatus(rawValue: status) else { throw TapisError(.internal, "job \(row["uuid"] as String) has an unknown status \(status)") }
        let condition: String? = row["condition"]
        let remoteStarted: String? = row["remoteStarted"]
        return JobSummary(
            uuid: JobUUID(rawValue: row["uuid"]), name: row["name"], owner: row["owner"], appId: row["appId"], appVersion: row["appVersion"],
            created: Date(milliseconds: row["created"]), status: jobStatus, condition: condition.flatMap(JobCondition.init(rawValue:)),
            remoteStarted: remoteStarted.flatMap(Job.date(fromTimestamp:)), ended: (row["ended"] as Int64?).map(Date.init(milliseconds:)),
            tenant: row["tenant"] ?? "", execSystemId: row["execSystemId"], archiveSystemId: row["archiveSystemId"] ?? "",
            lastUpdated: Date(milliseconds: row["lastUpdated"]))
    }
}
