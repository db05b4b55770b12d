-- GET the URL given on wrk's command line (list or retrieve), counting statuses.
dofile(os.getenv("LOAD_LUA_DIR") .. "/status.lua")
