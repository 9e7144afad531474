"""The client's receive path: events and replies are validated on arrival, and a reply ends only the request of
its own message."""

from .conftest import FRAMES, build, no_errors, start

CAST = '{ skillId = "fireball", target = { kind = "self" }, modifiers = {} }'
HIT = "{ castId = 1, targetId = 1, damage = %s, critical = false, hitPosition = Vector3.zero, effects = {} }"


def test_the_client_drops_an_invalid_event_and_says_why():
    sim, (client,) = start(client_setup="""
        _G.damage = {}
        Net.Skills.SkillHit.on(function(p) table.insert(_G.damage, p.damage) end)
    """)
    sim.server.exec(f"Net.Skills.SkillHit.fireAll({HIT % '0 / 0'}) Net.Skills.SkillHit.fireAll({HIT % '5'})")
    sim.run_for(0.1)
    assert client.eval("_G.damage") == [5]
    hit = client.eval("Net.stats().channels.Skills.SkillHit")
    assert (hit["received"], hit["invalid"], hit["delivered"]) == (2, 1, 1)
    # bytes count envelopes and payloads alike on both ends
    assert hit["bytes"] == sim.server.eval("Net.stats().channels.Skills.SkillHit.bytes")
    assert [line for line in client.output if "dropped invalid" in line] == [(
        "[warn] [Networking] dropped invalid Skills.SkillHit from the server: "
        "payload.damage: expected finite number >= 0, got nan")]
    no_errors(sim)


def test_a_release_client_rejects_a_reply_its_validator_refuses(tmp_path):
    # A release server sends what its handler returns unchecked; the client's validator is the last line. The reply
    # must survive packing to reach it: a string packs as raw bytes (within max_length), so invalid UTF-8 does.
    mounts = build(tmp_path, profile="release")
    sim, (client,) = start(mounts, server_setup="""
        Net.Attributes.AllocatePoints.on(function()
            return { accepted = true, remainingPoints = 3, reason = string.char(255) }
        end)
    """)
    run = client.exec("return { Net.Attributes.AllocatePoints.request({ allocations = {} }) }")
    sim.run_until(lambda: run.done, timeout=1)
    assert run.result == [False, "invalid reply: reply.reason: expected valid UTF-8, got invalid bytes"]
    allocate = client.eval("Net.stats().channels.Attributes.AllocatePoints")
    assert (allocate["invalid"], allocate["failed"], allocate["delivered"]) == (1, 1, 0)
    no_errors(sim)


def test_a_reply_for_another_message_with_the_same_sequence_is_late_not_an_answer():
    sim, (client,) = start(server_setup="""
        Net.Skills.CastSkill.on(function() task.wait(0.3) return { accepted = true, castId = 4 } end)
    """)
    run = client.exec(f"return {{ Net.Skills.CastSkill.request({CAST}) }}")  # the client's first sequence number
    sim.step(3)
    sim.server.exec(FRAMES + """
        local Registry = require(game.ReplicatedStorage.Networking.Registry)
        local entity = Registry.channels.EntityInfo
        local reliable = game.ReplicatedStorage.NetworkingRemotes.Reliable
        reliable:FireClient(game.Players.Player1, frame({ packed(3, entity.id, entity.messages.InspectEntity.id, 1,
            Packed.EntityInfo.replies.InspectEntity, { found = true }) }))
    """)
    sim.run_until(lambda: run.done, timeout=2)
    assert run.result == [True, {"accepted": True, "castId": 4}]
    assert client.eval("Net.stats().lateReplies") == 1
    no_errors(sim)
