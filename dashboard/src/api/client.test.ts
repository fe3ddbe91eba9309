import { describe, expect, it } from "vitest";
import { ApiFailure } from "./client";

describe("ApiFailure", () => {
  it("maps the API's 'field: problem' messages to the fields, so forms show each beside its input", () => {
    const failure = new ApiFailure(400, "invalid_request", "sloPct: must be at most 100; businessCalendar.weekly.mon[0].start: must be HH:MM");
    expect(failure.fieldErrors).toEqual({ sloPct: "must be at most 100", "businessCalendar.weekly.mon[0].start": "must be HH:MM" });
  });

  it("names no field for errors that are not about the request's fields, and says when a retry may help", () => {
    expect(new ApiFailure(409, "conflict", "username: alice is already taken").fieldErrors).toEqual({});
    expect(new ApiFailure(503, "storage_unavailable", "storage is unavailable").retryable).toBe(true);
    expect(new ApiFailure(400, "invalid_request", "from: is in the future").retryable).toBe(false);
  });
});
