-- POST /api/vacancies/ with a JWT: each request a vacancy with a title no other request of the
-- run uses (thread number + counter), for the company in LOAD_COMPANY_ID.
dofile(os.getenv("LOAD_LUA_DIR") .. "/status.lua")

local token = os.getenv("LOAD_TOKEN")
local company = os.getenv("LOAD_COMPANY_ID")
local counter = 0

function request()
  counter = counter + 1
  local title = string.format("Load test vacancy %d-%d", thread_number or 0, counter)
  local body = string.format('{"title": "%s", "company_id": "%s", "remote": true}', title, company)
  return wrk.format("POST", "/api/vacancies/", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end
