"""Requests: retries with server-side deduplication, timeouts, and the bound on pending requests."""

import random

from luaugen.sim import Link

from .conftest import no_errors, start

CAST = '{ skillId = "s" .. i, target = { kind = "self" }, modifiers = {} }'


def drop_incoming(vm, rate: float, seed: int) -> list[int]:
    """Make `vm` lose a fraction of the remote batches delivered to it (a hook below the dispatcher).

    Reliable RemoteEvents never lose packets on Roblox, so this is what "loss" means for requests: a batch the
    dispatcher never sees, as when a request or its reply is dropped by a restarting or overloaded peer. The
    client must retry per the intent's `retry`, and the server must answer a retried sequence number from its
    reply cache instead of running the handler again.
    """
    rng = random.Random(seed)
    deliver = vm._rt.get("deliver")
    dropped = [0]

    def lossy(_lua, args):
        if rng.random() < rate:
            dropped[0] += 1
            return [True]
        return deliver(*args)

    vm._rt.set("deliver", vm.lua.create_function(lossy))
    return dropped


def test_retries_under_20_percent_loss_never_double_handle():
    sim, (client,) = start(link=Link(latency=0.02, jitter=0.01), server_setup="""
        _G.handled = {}
        _G.duplicates = 0
        Net.Skills.CastSkill.on(function(player, p)
            if _G.handled[p.skillId] then _G.duplicates += 1 end
            _G.handled[p.skillId] = true
            return { accepted = true }
        end)
    """)
    lost_up = drop_incoming(sim.server, 0.2, seed=1)
    lost_down = drop_incoming(client, 0.2, seed=2)
    run = client.exec(f"""
        local results = {{}}
        for i = 1, 60 do
            local ok, r = Net.Skills.CastSkill.request({CAST})
            table.insert(results, ok)
            task.wait(0.1) -- stay within the declared 10/s
        end
        return results
    """)
    sim.run_until(lambda: run.done, timeout=120)
    results = run.result
    stats = client.eval("Net.stats().channels.Skills.CastSkill")
    assert lost_up[0] > 5 and lost_down[0] > 5
    assert len(results) == 60  # every request ended
    assert stats["retried"] > 0
    assert sim.server.eval("_G.duplicates") == 0
    handled = len(sim.server.eval("_G.handled"))
    assert results.count(True) >= 55 and handled >= results.count(True)
    assert client.eval("Net.stats().pendingRequests") == 0
    no_errors(sim)


def test_slow_handler_with_retries_runs_once():
    sim, (client,) = start(server_setup="""
        _G.runs = 0
        Net.Skills.CastSkill.on(function(player, p)
            _G.runs += 1
            task.wait(0.6) -- longer than several retry delays (0.1 .. 0.8 s, exponential)
            return { accepted = true, castId = 9 }
        end)
    """)
    run = client.exec(f"local i = 1 return {{ Net.Skills.CastSkill.request({CAST}) }}")
    sim.run_until(lambda: run.done, timeout=3)
    assert run.result == [True, {"accepted": True, "castId": 9}]
    assert sim.server.eval("_G.runs") == 1
    # retries go out after 0.1 s and 0.2-0.3 s more; the third would be due 0.4-0.6 s later, after the reply
    assert client.eval("Net.stats().channels.Skills.CastSkill.retried") == 2
    no_errors(sim)


def test_requests_time_out_and_free_their_slot():
    sim, (client,) = start(server_setup="""
        Net.EntityInfo.InspectEntity.on(function(player, p)
            task.wait(100) -- never answers in time
            return { found = false }
        end)
    """)
    run = client.exec("return { Net.EntityInfo.InspectEntity.request({ entityId = 1 }) }")
    frames = sim.run_until(lambda: run.done, timeout=5)
    assert run.result == [False, "EntityInfo.InspectEntity timed out after 3s"]
    assert 2.9 <= frames / 60 <= 3.2  # the declared timeout, not the retries, ends it
    stats = client.eval("Net.stats()")
    assert stats["pendingRequests"] == 0
    assert stats["channels"]["EntityInfo"]["InspectEntity"]["failed"] == 1
    assert stats["channels"]["EntityInfo"]["InspectEntity"]["retried"] == 2  # 3 attempts in all


def test_pending_requests_are_bounded_and_never_leak():
    sim, (client,) = start(server_setup="""
        _G.handled = 0
        Net.EntityInfo.InspectEntity.on(function(player, p)
            _G.handled += 1
            task.wait(10)
            return { found = true }
        end)
    """)
    client.exec("""
        _G.ended = {}
        for i = 1, 80 do
            task.spawn(function()
                local ok, err = Net.EntityInfo.InspectEntity.request({ entityId = i })
                table.insert(_G.ended, if ok then "ok" else err)
            end)
        end
    """)
    sim.step(1)
    ended = client.eval("_G.ended")
    assert ended == ["too many pending requests (64)"] * 16
    assert client.eval("Net.stats().pendingRequests") == 64
    sim.run_for(3.5)
    ended = client.eval("_G.ended")
    # 4 fit the declared 4/s and are handled (too slowly); the server drops the other 60 without a reply (an
    # exploiter's flood must not buy replies), so they time out too. Their two retries come in two bursts of 60:
    # the bucket's refill lets 3 of those through (seeded jitter), to be handled and time out as well.
    assert len(ended) == 80 and ended.count("EntityInfo.InspectEntity timed out after 3s") == 64
    handled = sim.server.eval("_G.handled")
    assert handled == 4 + 3
    assert client.eval("Net.stats().pendingRequests") == 0
    # slots are free again: a new request gets through (the server answers late replies from before silently)
    run = client.exec("return { Net.EntityInfo.InspectEntity.request({ entityId = 99 }) }")
    sim.run_until(lambda: run.done, timeout=4)
    assert run.result[0] is False and "timed out" in run.result[1]  # the handler still waits 10 s
    assert client.eval("Net.stats().pendingRequests") == 0
    sim.run_for(10)
    assert client.eval("Net.stats().lateReplies") == handled + 1  # the handled ones answer after their timeout


def test_request_outside_a_yieldable_thread_is_an_error():
    sim, (client,) = start()
    import pytest
    from luaugen.sim import LuauError

    with pytest.raises(LuauError, match="yields"):
        client.call(client.eval("function() return Net.Skills.CastSkill.request({}) end"))


def test_retries_wait_for_the_observed_round_trip_on_a_slow_link():
    # CastSkill retries after 0.1 s (exponential); a 0.18 s round trip would otherwise double every request.
    sim, (client,) = start(link=Link(latency=0.09), server_setup="""
        _G.handled = 0
        Net.Skills.CastSkill.on(function(player, p) _G.handled += 1 return { accepted = true } end)
    """)
    client.exec("""
        _G.ok = 0
        for i = 1, 10 do
            if Net.Skills.CastSkill.request({ skillId = "Fireball", target = { kind = "self" }, modifiers = {} }) then
                _G.ok += 1
            end
        end
    """)
    sim.run_until(lambda: client.eval("_G.ok") == 10, timeout=10)
    retried = client.eval("Net.stats().channels.Skills.CastSkill.retried")
    assert retried <= 1  # only the first request, before any round trip was measured
    assert sim.server.eval("_G.handled") == 10
    no_errors(sim)
