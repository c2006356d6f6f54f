-- stories.lua: wrk script that sends a story with a fresh device id on every request
-- (POST /api/v1/collections/TOKEN/stories); the path comes from wrk's URL.
local counter = 0
local thread_id = 0

function setup(thread)
	thread:set("tid", thread_id)
	thread_id = thread_id + 1
end

function init(args)
	-- args[1]: the number of this wrk process when several run at once
	-- (bench/pg_submit.sh), so their ids never collide
	math.randomseed(os.time() * 1000 + tid + 7919 * (tonumber(args[1]) or 0))
	prefix = string.format("%08x-%04x-4%03x-8%03x-", math.random(0, 0x7fffffff),
		math.random(0, 0xffff), math.random(0, 0xfff), math.random(0, 0xfff))
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
	counter = counter + 1
	local body = string.format(
		'{"id":"%s%012x","channel":"web","script_version":1,"language":"nl",' ..
		'"answers":{"q-verhaal":{"prompt":"p-buurt","title":"Mijn buurt",' ..
		'"text":"Sinds de nieuwe speeltuin er is, spreken de buren elkaar vaker. ' ..
		'Mijn kinderen spelen er elke dag en ik ken nu drie gezinnen uit de straat."},' ..
		'"q-verschil-triade":[0.2,0.5,0.3],"q-nodig-dyade":35,"q-vaak":"vaak",' ..
		'"q-onderwerp":["buren","wonen"]}}',
		prefix, counter)
	return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
	if status ~= 201 then
		errors = (errors or 0) + 1
	end
end
