/// The OpenAPI 3 document of tapisd's own API, served at `/v3/tapisd/openapi.json`. A test checks
/// that it names every route the router serves, and nothing else.
public enum OpenAPIDocument {
    public static let json = #"""
{
 "components": {
  "schemas": {
   "Annotations": {
    "properties": {
     "notes": {
      "additionalProperties": true,
      "type": "object"
     },
     "tags": {
      "items": {
       "type": "string"
      },
      "type": "array"
     }
    },
    "type": "object"
   },
   "Definition": {
    "additionalProperties": true,
    "type": "object"
   },
   "ErrorEnvelope": {
    "properties": {
     "message": {
      "type": "string"
     },
     "status": {
      "enum": [
       "error"
      ],
      "type": "string"
     },
     "version": {
      "type": "string"
     }
    },
    "required": [
     "status",
     "message"
    ],
    "type": "object"
   },
   "EventListEnvelope": {
    "properties": {
     "message": {
      "type": "string"
     },
     "metadata": {
      "$ref": "#/components/schemas/ListMetadata"
     },
     "result": {
      "items": {
       "additionalProperties": true,
       "type": "object"
      },
      "type": "array"
     },
     "status": {
      "enum": [
       "success"
      ],
      "type": "string"
     },
     "version": {
      "type": "string"
     }
    },
    "required": [
     "status",
     "message",
     "version"
    ],
    "type": "object"
   },
   "FileListEnvelope": {
    "properties": {
     "message": {
      "type": "string"
     },
     "metadata": {
      "$ref": "#/components/schemas/ListMetadata"
     },
     "result": {
      "items": {
       "additionalProperties": true,
       "type": "object"
      },
      "type": "array"
     },
     "status": {
      "enum": [
       "success"
      ],
      "type": "string"
     },
     "version": {
      "type": "string"
     }
    },
    "required": [
     "status",
     "message",
     "version"
    ],
    "type": "object"
   },
   "JobEnvelope": {
    "properties": {
     "message": {
      "type": "string"
     },
     "metadata": {
      "$ref": "#/components/schemas/ListMetadata"
     },
     "result": {
      "additionalProperties": true,
      "type": "object"
     },
     "status": {
      "enum": [
       "success"
      ],
      "type": "string"
     },
     "version": {
      "type": "string"
     }
    },
    "required": [
     "status",
     "message",
     "version"
    ],
    "type": "object"
   },
   "JobListEnvelope": {
    "properties": {
     "message": {
      "type": "string"
     },
     "metadata": {
      "$ref": "#/components/schemas/ListMetadata"
     },
     "result": {
      "items": {
       "additionalProperties": true,
       "type": "object"
      },
      "type": "array"
     },
     "status": {
      "enum": [
       "success"
      ],
      "type": "string"
     },
     "version": {
      "type": "string"
     }
    },
    "required": [
     "status",
     "message",
     "version"
    ],
    "type": "object"
   },
   "ListMetadata": {
    "properties": {
     "orderBy": {
      "type": "string"
     },
     "recordCount": {
      "type": "integer"
     },
     "recordLimit": {
      "type": "integer"
     },
     "recordsSkipped": {
      "type": "integer"
     },
     "startAfter": {
      "type": "string"
     },
     "totalCount": {
      "type": "integer"
     }
    },
    "type": "object"
   },
   "ObjectEnvelope": {
    "properties": {
     "message": {
      "type": "string"
     },
     "metadata": {
      "$ref": "#/components/schemas/ListMetadata"
     },
     "result": {
      "additionalProperties": true,
      "type": "object"
     },
     "status": {
      "enum": [
       "success"
      ],
      "type": "string"
     },
     "version": {
      "type": "string"
     }
    },
    "required": [
     "status",
     "message",
     "version"
    ],
    "type": "object"
   },
   "ObjectListEnvelope": {
    "properties": {
     "message": {
      "type": "string"
     },
     "metadata": {
      "$ref": "#/components/schemas/ListMetadata"
     },
     "result": {
      "items": {
       "additionalProperties": true,
       "type": "object"
      },
      "type": "array"
     },
     "status": {
      "enum": [
       "success"
      ],
      "type": "string"
     },
     "version": {
      "type": "string"
     }
    },
    "required": [
     "status",
     "message",
     "version"
    ],
    "type": "object"
   },
   "SearchRequest": {
    "properties": {
     "search": {
      "items": {
       "type": "string"
      },
      "type": "array"
     }
    },
    "required": [
     "search"
    ],
    "type": "object"
   },
   "SubmitRequest": {
    "additionalProperties": true,
    "properties": {
     "appId": {
      "type": "string"
     },
     "appVersion": {
      "type": "string"
     },
     "name": {
      "type": "string"
     }
    },
    "required": [
     "name",
     "appId",
     "appVersion"
    ],
    "type": "object"
   },
   "UserEvent": {
    "properties": {
     "eventData": {
      "maxLength": 16384,
      "type": "string"
     },
     "eventDetail": {
      "maxLength": 64,
      "type": "string"
     }
    },
    "required": [
     "eventData"
    ],
    "type": "object"
   }
  },
  "securitySchemes": {
   "TapisJWT": {
    "in": "header",
    "name": "X-Tapis-Token",
    "type": "apiKey"
   }
  }
 },
 "info": {
  "description": "The Tapis v3 Jobs API (and the Systems and Apps calls tapipy uses) as tapisd serves it. The Unix socket identifies callers by SO_PEERCRED; the TCP listener needs X-Tapis-Token.",
  "title": "tapisd",
  "version": "0.1.0"
 },
 "openapi": "3.0.3",
 "paths": {
  "/v3/apps": {
   "get": {
    "operationId": "getApps",
    "parameters": [
     {
      "description": "(attr.op.value)~(...)",
      "in": "query",
      "name": "search",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "allAttributes (default) or fields.",
      "in": "query",
      "name": "select",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "skip",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectListEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "App versions the caller may use."
   },
   "post": {
    "operationId": "createAppVersion",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Definition"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Create an app version (Tapis App JSON)."
   }
  },
  "/v3/apps/{id}": {
   "get": {
    "operationId": "getAppLatestVersion",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "An app's latest version."
   }
  },
  "/v3/apps/{id}/disable": {
   "post": {
    "operationId": "disableApp",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Disable all versions of an app."
   }
  },
  "/v3/apps/{id}/enable": {
   "post": {
    "operationId": "enableApp",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Enable all versions of an app."
   }
  },
  "/v3/apps/{id}/isEnabled": {
   "get": {
    "operationId": "isEnabledApp",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "version",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Whether an app (or ?version=) is enabled."
   }
  },
  "/v3/apps/{id}/{version}": {
   "get": {
    "operationId": "getApp",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "path",
      "name": "version",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "One app version."
   }
  },
  "/v3/apps/{id}/{version}/disable": {
   "post": {
    "operationId": "disableAppVersion",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "path",
      "name": "version",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Disable one app version."
   }
  },
  "/v3/apps/{id}/{version}/enable": {
   "post": {
    "operationId": "enableAppVersion",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "path",
      "name": "version",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Enable one app version."
   }
  },
  "/v3/jobs/healthcheck": {
   "get": {
    "operationId": "checkHealth",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [],
    "summary": "Health probe (no token needed)."
   }
  },
  "/v3/jobs/list": {
   "get": {
    "operationId": "getJobList",
    "parameters": [
     {
      "description": "At most this many records (default 100).",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Skip this many records first (not with startAfter).",
      "in": "query",
      "name": "skip",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Start after the record whose first orderBy attribute has this value (needs orderBy).",
      "in": "query",
      "name": "startAfter",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "attr(asc|desc),... (default lastUpdated(desc)).",
      "in": "query",
      "name": "orderBy",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Fill metadata.totalCount.",
      "in": "query",
      "name": "computeTotal",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "MY_JOBS (default), SHARED_JOBS or ALL_JOBS (administrators: everyone's).",
      "in": "query",
      "name": "listType",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "summaryAttributes (default), allAttributes, or a comma list of job fields.",
      "in": "query",
      "name": "select",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JobListEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "The caller's jobs, a page at a time."
   }
  },
  "/v3/jobs/readycheck": {
   "get": {
    "operationId": "readycheck",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [],
    "summary": "Readiness probe (no token needed)."
   }
  },
  "/v3/jobs/search": {
   "get": {
    "operationId": "getJobSearchList",
    "parameters": [
     {
      "description": "At most this many records (default 100).",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Skip this many records first (not with startAfter).",
      "in": "query",
      "name": "skip",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Start after the record whose first orderBy attribute has this value (needs orderBy).",
      "in": "query",
      "name": "startAfter",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "attr(asc|desc),... (default lastUpdated(desc)).",
      "in": "query",
      "name": "orderBy",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Fill metadata.totalCount.",
      "in": "query",
      "name": "computeTotal",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "MY_JOBS (default), SHARED_JOBS or ALL_JOBS (administrators: everyone's).",
      "in": "query",
      "name": "listType",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "summaryAttributes (default), allAttributes, or a comma list of job fields.",
      "in": "query",
      "name": "select",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JobListEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Jobs matching attr.op=value query parameters (eq neq gt gte lt lte in nin like nlike between nbetween)."
   },
   "post": {
    "operationId": "getJobSearchListByPostSqlStr",
    "parameters": [
     {
      "description": "At most this many records (default 100).",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Skip this many records first (not with startAfter).",
      "in": "query",
      "name": "skip",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Start after the record whose first orderBy attribute has this value (needs orderBy).",
      "in": "query",
      "name": "startAfter",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "attr(asc|desc),... (default lastUpdated(desc)).",
      "in": "query",
      "name": "orderBy",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Fill metadata.totalCount.",
      "in": "query",
      "name": "computeTotal",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "MY_JOBS (default), SHARED_JOBS or ALL_JOBS (administrators: everyone's).",
      "in": "query",
      "name": "listType",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "summaryAttributes (default), allAttributes, or a comma list of job fields.",
      "in": "query",
      "name": "select",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SearchRequest"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JobListEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Jobs matching SQL-like conditions."
   }
  },
  "/v3/jobs/submit": {
   "post": {
    "operationId": "submitJob",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SubmitRequest"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JobEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Submit a job (Tapis ReqSubmitJob); answers with the stored job."
   }
  },
  "/v3/jobs/subscribe/{uuid}": {
   "delete": {
    "operationId": "deleteSubscriptions",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Not offered yet (501)."
   },
   "get": {
    "operationId": "getSubscriptions",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Not offered yet (501)."
   },
   "post": {
    "operationId": "subscribe",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Not offered yet (501)."
   }
  },
  "/v3/jobs/{uuid}": {
   "get": {
    "operationId": "getJob",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JobEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "A job."
   }
  },
  "/v3/jobs/{uuid}/annotations": {
   "patch": {
    "operationId": "patchJobAnnotations",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Annotations"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JobEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Add tags and merge top-level note keys."
   },
   "put": {
    "operationId": "putJobAnnotations",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Annotations"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JobEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Replace the job's tags and notes."
   }
  },
  "/v3/jobs/{uuid}/cancel": {
   "post": {
    "operationId": "cancelJob",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Cancel a job (409 once it ended)."
   }
  },
  "/v3/jobs/{uuid}/hide": {
   "post": {
    "operationId": "hideJob",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Hide an ended job from listings (409 before it ends)."
   }
  },
  "/v3/jobs/{uuid}/history": {
   "get": {
    "operationId": "getJobHistory",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "At most this many events.",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Skip this many events.",
      "in": "query",
      "name": "skip",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EventListEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "A job's history, oldest first."
   }
  },
  "/v3/jobs/{uuid}/output/download": {
   "get": {
    "operationId": "getJobOutputDownloadRoot",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "compress",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "allowIfRunning",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/octet-stream": {
        "schema": {
         "format": "binary",
         "type": "string"
        }
       }
      },
      "description": "The bytes (application/octet-stream, or application/zip)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "All the job's outputs, as a zip."
   }
  },
  "/v3/jobs/{uuid}/output/download/{path}": {
   "get": {
    "operationId": "getJobOutputDownload",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "A path below the output root.",
      "in": "path",
      "name": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "compress",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "zip only.",
      "in": "query",
      "name": "format",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "allowIfRunning",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/octet-stream": {
        "schema": {
         "format": "binary",
         "type": "string"
        }
       }
      },
      "description": "The bytes (application/octet-stream, or application/zip)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "One output file (a directory, or compress=true, comes as a zip)."
   }
  },
  "/v3/jobs/{uuid}/output/list": {
   "get": {
    "operationId": "getJobOutputListRoot",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "skip",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "allowIfRunning",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/FileListEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "The entries at the job's output root."
   }
  },
  "/v3/jobs/{uuid}/output/list/{path}": {
   "get": {
    "operationId": "getJobOutputList",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "A path below the output root.",
      "in": "path",
      "name": "path",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "skip",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "allowIfRunning",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/FileListEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "The entries below a path of the job's outputs."
   }
  },
  "/v3/jobs/{uuid}/resubmit": {
   "post": {
    "operationId": "resubmitJob",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JobEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Submit the job's stored request again, as a new job."
   }
  },
  "/v3/jobs/{uuid}/resubmit_request": {
   "get": {
    "operationId": "getResubmitRequestJson",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "The request the job was submitted with."
   }
  },
  "/v3/jobs/{uuid}/sendEvent": {
   "post": {
    "operationId": "sendEvent",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/UserEvent"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Add a user event to a running job's history."
   }
  },
  "/v3/jobs/{uuid}/share": {
   "get": {
    "operationId": "getJobShare",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Not offered yet (501)."
   },
   "post": {
    "operationId": "shareJob",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Not offered yet (501)."
   }
  },
  "/v3/jobs/{uuid}/share/{user}": {
   "delete": {
    "operationId": "deleteJobShare",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "path",
      "name": "user",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Not offered yet (501)."
   }
  },
  "/v3/jobs/{uuid}/status": {
   "get": {
    "operationId": "getJobStatus",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "A job's status and condition."
   }
  },
  "/v3/jobs/{uuid}/unhide": {
   "post": {
    "operationId": "unhideJob",
    "parameters": [
     {
      "description": "The job's UUID.",
      "in": "path",
      "name": "uuid",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "List a hidden job again."
   }
  },
  "/v3/systems": {
   "get": {
    "operationId": "getSystems",
    "parameters": [
     {
      "description": "(attr.op.value)~(...)",
      "in": "query",
      "name": "search",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "allAttributes (default) or fields.",
      "in": "query",
      "name": "select",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "",
      "in": "query",
      "name": "skip",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectListEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Systems the caller may use."
   },
   "post": {
    "operationId": "createSystem",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Definition"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Create a system (Tapis System JSON), private to its creator unless an administrator creates it."
   }
  },
  "/v3/systems/schedulerProfile": {
   "get": {
    "operationId": "getSchedulerProfiles",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectListEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Scheduler profiles."
   },
   "post": {
    "operationId": "createSchedulerProfile",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/Definition"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Create a scheduler profile (administrators)."
   }
  },
  "/v3/systems/schedulerProfile/{name}": {
   "get": {
    "operationId": "getSchedulerProfile",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "name",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "A scheduler profile."
   }
  },
  "/v3/systems/{id}": {
   "get": {
    "operationId": "getSystem",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "A system (never its credentials)."
   }
  },
  "/v3/systems/{id}/disable": {
   "post": {
    "operationId": "disableSystem",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Disable a system; its waiting jobs stay BLOCKED."
   }
  },
  "/v3/systems/{id}/enable": {
   "post": {
    "operationId": "enableSystem",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Enable a system (its owner or an administrator)."
   }
  },
  "/v3/systems/{id}/isEnabled": {
   "get": {
    "operationId": "isEnabled",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Whether a system is enabled."
   }
  },
  "/v3/tapisd/metrics": {
   "get": {
    "operationId": "getMetrics",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Scheduler commands and poll cycles per system (administrators)."
   }
  },
  "/v3/tapisd/openapi.json": {
   "get": {
    "operationId": "getOpenAPIDocument",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "This document."
   }
  },
  "/v3/tokens": {
   "get": {
    "operationId": "listTokens",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectListEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "The caller's tokens (everyone's, for administrators)."
   },
   "post": {
    "operationId": "createToken",
    "parameters": [
     {
      "description": "Seconds, 60 to 2592000 (default 14400).",
      "in": "query",
      "name": "ttl",
      "required": false,
      "schema": {
       "type": "integer"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Mint a token for the caller (Unix socket only)."
   }
  },
  "/v3/tokens/rotate-key": {
   "post": {
    "operationId": "rotateTokenKey",
    "parameters": [
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Replace the signing key (administrators, Unix socket only)."
   }
  },
  "/v3/tokens/{jti}": {
   "delete": {
    "operationId": "revokeToken",
    "parameters": [
     {
      "description": "",
      "in": "path",
      "name": "jti",
      "required": true,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "Indent the JSON.",
      "in": "query",
      "name": "pretty",
      "required": false,
      "schema": {
       "type": "boolean"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ObjectEnvelope"
        }
       }
      },
      "description": "Success envelope."
     },
     "default": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorEnvelope"
        }
       }
      },
      "description": "Error envelope (400, 401, 403, 404, 409, 413, 500, 501, 502, 503)."
     }
    },
    "security": [
     {
      "TapisJWT": []
     }
    ],
    "summary": "Revoke a token at once."
   }
  }
 }
}
"""#
}
