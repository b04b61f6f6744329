"""Every inferred statement says why: the rule and the premises, stored in graph/derivations and explained by
`r2pkg explain` down to the sources' spans. Also the traps the rules must not fall into (roles that are not
membership, categories reaching what their definition excludes, observers counted as members)."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from r2pkg.api import load
from r2pkg.cli import main
from r2pkg.config import DERIVATIONS_GRAPH, INFERRED_GRAPH
from r2pkg.explain import Explainer, ExplainError, parse_term
from r2pkg.namespaces import PREFIXES
from r2pkg.reasoning import Rule, load_rules, materialise

UNION = {"use_default_graph_as_union": True}


def iri(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


@pytest.fixture(scope="module")
def store(built_release):
    store = ox.Store()
    store.load(path=str(built_release / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def kg(built_release):
    return load(built_release / "dataset.nq")


def derivation(store, s, p, o) -> tuple[str, set[tuple[str, str, str]]]:
    """The rule and the premises (as N-Triples terms) of the derivation of one inferred statement."""
    rows = list(store.query(
        f"""PREFIX r2p: <{PREFIXES['r2p']}> PREFIX rdf: <{PREFIXES['rdf']}>
        SELECT ?rule ?a ?b ?c WHERE {{ GRAPH <{DERIVATIONS_GRAPH}> {{
          ?d r2p:derives ?st ; r2p:byRule ?rule ; r2p:premise ?pr .
          ?st rdf:subject {s} ; rdf:predicate {p} ; rdf:object {o} .
          ?pr rdf:subject ?a ; rdf:predicate ?b ; rdf:object ?c }} }}"""))
    assert rows, f"no derivation for {s} {p} {o}"
    rules = {r["rule"].value for r in rows}
    assert len(rules) == 1
    return rules.pop().rsplit("/", 1)[1], {(str(r["a"]), str(r["b"]), str(r["c"])) for r in rows}


def t(curie_s: str, curie_p: str, curie_o: str) -> tuple[str, str, str]:
    return tuple(f"<{iri(c)}>" for c in (curie_s, curie_p, curie_o))


# One inferred statement of every rule that fires on the seed data, with the exact premises it rests on.
EXAMPLES = {
    "applies-directly": (t("rec:csdn-2017-02", "r2p:appliesDirectlyTo", "orgn:european-union"),
                         {t("rec:csdn-2017-02", "r2p:addressedTo", "orgn:european-union")}),
    "applies-through-membership": (
        t("rec:gnfp-2019-09", "r2p:appliesThroughAffiliationTo", "state:ghana"),
        {t("rec:gnfp-2019-09", "r2p:addressedTo", "orgn:global-network-r2p-focal-points"),
         t("orgn:global-network-r2p-focal-points", "rdf:type", "r2p:Network"),
         t("state:ghana", "org:memberOf", "orgn:global-network-r2p-focal-points")}),
    "applies-through-post": (
        t("rec:un-perspectives-2016-34", "r2p:appliesThroughAffiliationTo", "orgn:un-secretariat"),
        {t("rec:un-perspectives-2016-34", "r2p:addressedTo", "post:un-secretary-general"),
         t("post:un-secretary-general", "org:postIn", "orgn:un-secretariat")}),
    "applies-through-category": (
        t("rec:gnfp-2019-01", "r2p:appliesThroughCategoryTo", "state:kenya"),
        {t("rec:gnfp-2019-01", "r2p:addressedTo", "cat:states"), t("cat:states", "r2p:coversActor", "state:kenya")}),
    "applies-through-category-post": (
        t("rec:gnfp-2019-08", "r2p:appliesThroughCategoryTo", "orgn:european-union"),
        {t("rec:gnfp-2019-08", "r2p:addressedTo", "cat:r2p-focal-points"),
         t("cat:r2p-focal-points", "r2p:coversActor", "post:eu-r2p-focal-point"),
         t("post:eu-r2p-focal-point", "org:postIn", "orgn:european-union")}),
    "applies-through-broad-category": (
        t("rec:stanley-memo-2017-13", "r2p:appliesThroughBroadCategoryTo", "state:kenya"),
        {t("rec:stanley-memo-2017-13", "r2p:addressedTo", "cat:international-community"),
         t("cat:international-community", "rdf:type", "r2p:BroadActorCategory"),
         t("cat:international-community", "r2p:coversActor", "state:kenya")}),
    "applies-by-interpretation": (
        t("rec:csdn-2017-01", "r2p:appliesByInterpretationTo", "orgn:united-nations"),
        {t("rec:csdn-2017-01", "r2p:interpretedAddressee", "orgn:united-nations")}),
    "applies-by-interpretation-post": (
        t("rec:csdn-2017-16", "r2p:appliesByInterpretationTo", "orgn:un-secretariat"),
        {t("rec:csdn-2017-16", "r2p:interpretedAddressee", "post:un-secretary-general"),
         t("post:un-secretary-general", "org:postIn", "orgn:un-secretariat")}),
    "applies-by-interpretation-category": (
        t("rec:csdn-2017-16", "r2p:appliesByInterpretationTo", "state:kenya"),
        {t("rec:csdn-2017-16", "r2p:interpretedAddressee", "cat:un-member-states"),
         t("cat:un-member-states", "r2p:coversActor", "state:kenya")}),
    "category-members": (
        t("cat:international-community", "r2p:coversActor", "state:kenya"),
        {t("cat:international-community", "r2p:coversClass", "r2p:State"), t("state:kenya", "rdf:type", "r2p:State")}),
    "category-members-of": (
        t("cat:un-member-states", "r2p:coversActor", "state:kenya"),
        {t("cat:un-member-states", "r2p:coversMembersOf", "orgn:united-nations"),
         t("state:kenya", "org:memberOf", "orgn:united-nations")}),
    "membership": (
        t("state:kenya", "org:memberOf", "orgn:united-nations"),
        {t("mship:united-nations-kenya", "rdf:type", "org:Membership"),
         t("mship:united-nations-kenya", "org:member", "state:kenya"),
         t("mship:united-nations-kenya", "org:organization", "orgn:united-nations"),
         t("mship:united-nations-kenya", "org:role", "role:member"),
         t("role:member", "rdf:type", "r2p:MemberRole")}),
    "membership-of-parts": (
        t("state:australia", "org:memberOf", "orgn:global-network-r2p-focal-points"),
        {t("state:australia", "org:memberOf", "orgn:gnfp-steering-group"),
         t("orgn:gnfp-steering-group", "org:subOrganizationOf", "orgn:global-network-r2p-focal-points")}),
    "inverse": (
        t("cat:civil-society", "r2p:receivesRecommendation", "rec:csdn-2017-11"),
        {t("rec:csdn-2017-11", "r2p:addressedTo", "cat:civil-society"),
         t("r2p:addressedTo", "owl:inverseOf", "r2p:receivesRecommendation")}),
    "subclass": (
        t("cat:academia", "rdf:type", "skos:Concept"),
        {t("cat:academia", "rdf:type", "r2p:ActorCategory"), t("r2p:ActorCategory", "rdfs:subClassOf", "skos:Concept")}),
    "subproperty": (
        t("rec:gnfp-2019-01", "r2p:appliesTo", "state:kenya"),
        {t("rec:gnfp-2019-01", "r2p:appliesThroughCategoryTo", "state:kenya"),
         t("r2p:appliesThroughCategoryTo", "rdfs:subPropertyOf", "r2p:appliesTo")}),
    "symmetric": (
        t("mech:ecowas-early-warning", "r2p:relatedMechanism", "mech:news"),
        {t("mech:news", "r2p:relatedMechanism", "mech:ecowas-early-warning"),
         t("r2p:relatedMechanism", "rdf:type", "owl:SymmetricProperty")}),
    "tenure-holders": (
        t("post:belgium-dg-multilateral-affairs", "org:heldBy", "person:axel-kenes"),
        {t("tenure:axel-kenes-belgium-dg-multilateral-affairs", "rdf:type", "r2p:Tenure"),
         t("tenure:axel-kenes-belgium-dg-multilateral-affairs", "r2p:tenureHolder", "person:axel-kenes"),
         t("tenure:axel-kenes-belgium-dg-multilateral-affairs", "r2p:tenurePost", "post:belgium-dg-multilateral-affairs")}),
    "transitive": (
        t("event:gnfp-2019-breakout-myanmar", "r2p:partOf", "event:gnfp-9th-annual-meeting"),
        {t("event:gnfp-2019-breakout-myanmar", "r2p:partOf", "event:gnfp-2019-successes-challenges-session"),
         t("event:gnfp-2019-successes-challenges-session", "r2p:partOf", "event:gnfp-9th-annual-meeting"),
         t("r2p:partOf", "rdf:type", "owl:TransitiveProperty")}),
}


@pytest.mark.parametrize("rule", sorted(EXAMPLES))
def test_an_inferred_statement_of_each_rule_records_its_rule_and_premises(store, rule):
    statement, premises = EXAMPLES[rule]
    assert derivation(store, *statement) == (rule, premises)


def test_every_premise_is_asserted_or_itself_inferred(store):
    """The premises of the sample derivations hold in the graph (asserted in a data graph, or inferred)."""
    for statement, premises in EXAMPLES.values():
        for s, p, o in premises:
            assert store.query(f"ASK {{ {s} {p} {o} }}", **UNION), (s, p, o)


def test_the_property_chain_records_the_span_it_went_through(store):
    rule, premises = derivation(store, f"<{iri('person:edward-luck')}>", f"<{iri('r2p:statedIn')}>",
                                f"<{iri('doc:un-perspectives-2016')}>")
    assert rule == "property-chain"
    predicates = {p for _, p, _ in premises}
    assert {f"<{iri('r2p:attestedBy')}>", f"<{iri('r2p:inDocument')}>", f"<{iri('owl:propertyChainAxiom')}>"} <= predicates


def test_each_inferred_statement_has_exactly_one_derivation(store):
    inferred = next(iter(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}")))
    derivations = next(iter(store.query(
        f"SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ GRAPH <{DERIVATIONS_GRAPH}> {{ ?d <{iri('r2p:derives')}> ?st }} }}")))
    assert int(inferred["n"].value) == int(derivations["n"].value) > 1000


def test_every_rule_is_described_in_the_graph(store, settings):
    rules = {r["r"].value.rsplit("/", 1)[1] for r in store.query(
        f"SELECT ?r WHERE {{ GRAPH <{DERIVATIONS_GRAPH}> {{ ?r a <{iri('r2p:InferenceRule')}> ; <{iri('r2p:ruleFile')}> ?f ; "
        f"<{PREFIXES['dct']}description> ?d }} }}")}
    assert rules == {rule.name for rule in load_rules(settings)}


# --- rules the seed data does not exercise, on small graphs of their own --------------------------------

TTL_PREFIXES = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())


def _run(settings, turtle: str) -> ox.Store:
    store = ox.Store()
    store.load((TTL_PREFIXES + turtle).encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(PREFIXES["graph"] + "test"))
    ontology = settings.ontology_file.read_bytes()
    store.load(ontology, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(PREFIXES["graph"] + "ontology"))
    materialise(store, load_rules(settings))
    return store


def test_inverse_read_from_the_other_side(settings):
    store = _run(settings, "orgn:net org:hasMember state:x .")
    assert derivation(store, f"<{iri('state:x')}>", f"<{iri('org:memberOf')}>", f"<{iri('orgn:net')}>") == (
        "inverse-reverse", {t("orgn:net", "org:hasMember", "state:x"), t("org:memberOf", "owl:inverseOf", "org:hasMember")})


def test_interpreted_addressee_network_reaches_its_members_by_interpretation_only(settings):
    store = _run(settings, """
        orgn:net a r2p:StateNetwork . state:x a r2p:State ; org:memberOf orgn:net .
        rec:r a r2p:Recommendation ; r2p:interpretedAddressee orgn:net .""")
    assert derivation(store, f"<{iri('rec:r')}>", f"<{iri('r2p:appliesByInterpretationTo')}>", f"<{iri('state:x')}>")[0] == \
        "applies-by-interpretation-membership"
    assert not store.query(f"ASK {{ <{iri('rec:r')}> <{iri('r2p:appliesTo')}> ?x }}", **UNION)


def test_a_secretariat_is_not_a_member_and_receives_nothing_meant_for_members(settings):
    store = _run(settings, """
        orgn:net a r2p:StateNetwork . orgn:centre a r2p:CivilSocietyOrganisation . state:x a r2p:State .
        role:secretariat a org:Role . role:member a r2p:MemberRole .
        mship:a a org:Membership ; org:member orgn:centre ; org:organization orgn:net ; org:role role:secretariat .
        mship:b a org:Membership ; org:member state:x ; org:organization orgn:net ; org:role role:member .
        rec:r a r2p:Recommendation ; r2p:addressedTo orgn:net .""")
    ask = lambda s, p, o: store.query(f"ASK {{ <{iri(s)}> <{iri(p)}> <{iri(o)}> }}", **UNION)
    assert ask("state:x", "org:memberOf", "orgn:net") and ask("rec:r", "r2p:appliesThroughAffiliationTo", "state:x")
    assert not ask("orgn:centre", "org:memberOf", "orgn:net")
    assert not ask("rec:r", "r2p:appliesTo", "orgn:centre")


def test_what_is_asked_of_an_intergovernmental_organisation_is_not_asked_of_its_member_states(settings):
    store = _run(settings, """
        orgn:io a r2p:InternationalOrganisation . state:x a r2p:State ; org:memberOf orgn:io .
        rec:r a r2p:Recommendation ; r2p:addressedTo orgn:io .""")
    assert not store.query(f"ASK {{ <{iri('rec:r')}> <{iri('r2p:appliesTo')}> <{iri('state:x')}> }}", **UNION)


def test_a_category_does_not_cover_what_it_excludes(settings):
    store = _run(settings, """
        orgn:io a r2p:InternationalOrganisation . orgn:office a r2p:UNOffice , r2p:InternationalOrganisation .
        cat:c a r2p:ActorCategory ; r2p:coversClass r2p:IntergovernmentalOrganisation ; r2p:excludesClass r2p:UNEntity .""")
    covered = {r["x"].value for r in store.query(f"SELECT ?x WHERE {{ <{iri('cat:c')}> <{iri('r2p:coversActor')}> ?x }}", **UNION)}
    assert covered == {iri("orgn:io")}


def test_a_rule_with_a_property_path_premise_is_refused(settings):
    from r2pkg.reasoning import ReasoningError

    with pytest.raises(ReasoningError, match="plain triple patterns"):
        materialise(ox.Store(), [Rule("pathy", "CONSTRUCT { ?s <urn:p> ?o } WHERE { ?s <urn:a>/<urn:b> ?o }")])


# --- the traps, on the real data --------------------------------------------------------------------------


def test_the_global_centre_is_the_networks_secretariat_not_a_member(store):
    ask = lambda q: store.query(q, **UNION)
    centre, network, group = iri("orgn:global-centre-r2p"), iri("orgn:global-network-r2p-focal-points"), iri("orgn:gnfp-steering-group")
    assert not ask(f"ASK {{ <{centre}> <{iri('org:memberOf')}> <{network}> }}")
    assert not ask(f"ASK {{ <{centre}> <{iri('org:memberOf')}> <{group}> }}")
    roles = {(r["o"].value, r["role"].value) for r in store.query(
        f"SELECT ?o ?role WHERE {{ ?m <{iri('org:member')}> <{centre}> ; <{iri('org:organization')}> ?o ; <{iri('org:role')}> ?role }}", **UNION)}
    assert {(network, iri("role:secretariat")), (group, iri("role:secretariat"))} <= roles
    assert not ask(f"ASK {{ <{iri('rec:gnfp-2019-09')}> <{iri('r2p:appliesTo')}> <{centre}> }}")


def test_observer_states_are_states_but_not_un_member_states(store):
    ask = lambda q: store.query(q, **UNION)
    for observer in ("state:holy-see", "state:state-of-palestine"):
        assert ask(f"ASK {{ <{iri('cat:states')}> <{iri('r2p:coversActor')}> <{iri(observer)}> }}")
        assert not ask(f"ASK {{ <{iri('cat:un-member-states')}> <{iri('r2p:coversActor')}> <{iri(observer)}> }}")
    members = next(iter(store.query(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ <{iri('cat:un-member-states')}> <{iri('r2p:coversActor')}> ?s }}", **UNION)))
    assert int(members["n"].value) == 193


# --- explain: the API, the CLI ------------------------------------------------------------------------------


def test_explain_goes_down_to_the_source_spans(kg):
    explanation = kg.explain("rec:gnfp-2019-09", "r2p:appliesTo", "state:ghana")
    assert explanation.inferred and explanation.rule_label == "subproperty"
    via_network = next(p for p in explanation.premises if str(p.predicate) == iri("r2p:appliesThroughAffiliationTo"))
    assert via_network.rule_label == "applies through membership"
    addressed = next(p for p in via_network.premises if str(p.predicate) == iri("r2p:addressedTo"))
    [support] = addressed.asserted
    assert str(support.document) == iri("doc:gnfp-2019") and support.spans and support.spans[0].sha256
    member = next(p for p in via_network.premises if str(p.predicate) == iri("org:memberOf"))
    assert member.rule_label == "membership of parts"
    leaves = [p for p in member.premises if p.asserted]
    assert {str(p.predicate) for p in leaves} == {iri("org:memberOf"), iri("org:subOrganizationOf")}
    assert all(s.spans for p in leaves for s in p.asserted)


def test_explain_of_a_state_no_source_names_ends_in_the_country_package(kg):
    explanation = kg.explain("rec:gnfp-2019-01", "r2p:appliesThroughCategoryTo", "state:kenya")
    covers = next(p for p in explanation.premises if str(p.predicate) == iri("r2p:coversActor"))
    typed = next(p for p in covers.premises if str(p.predicate) == iri("rdf:type"))
    assert [str(s) for s in typed.asserted[0].outside_sources] == ["https://pypi.org/project/hdx-python-country/"]


def test_explain_cli_tree_json_and_exit_codes(built_release, settings, monkeypatch):
    monkeypatch.setenv("R2PKG_BUILD_DIR", str(settings.output_dir))
    runner = CliRunner()
    result = runner.invoke(main, ["explain", "rec:gnfp-2019-09", "r2p:appliesTo", "state:ghana"])
    assert result.exit_code == 0, result.output
    assert "applies through membership" in result.output and "doc:gnfp-2019" in result.output
    as_json = runner.invoke(main, ["explain", "rec:gnfp-2019-09", "r2p:appliesTo", "state:ghana", "--format", "json"])
    assert json.loads(as_json.output)["rule"] == iri("rule:subproperty")
    assert runner.invoke(main, ["explain", "rec:gnfp-2019-01", "r2p:appliesTo", "orgn:global-centre-r2p"]).exit_code == 1
    bad = runner.invoke(main, ["explain", "not a term", "r2p:appliesTo", "state:ghana"])
    assert bad.exit_code == 2 and "neither a full IRI nor a prefixed name" in bad.output


def test_asserted_statements_explain_as_stated(kg):
    explanation = kg.explain("rec:gnfp-2019-01", "r2p:addressedTo", "cat:states")
    assert not explanation.inferred and [str(s.document) for s in explanation.asserted] == [iri("doc:gnfp-2019")]


@pytest.mark.parametrize("text", ["", "state:", "nope:ghana", "<bad iri>"])
def test_malformed_terms_are_refused(text):
    with pytest.raises(ExplainError):
        parse_term(text, "subject")


def test_a_literal_object_parses():
    assert parse_term('"Ghana"@en', "object").language == "en"
    with pytest.raises(ExplainError):
        parse_term('"Ghana"@en', "subject")


def test_a_premise_about_a_text_span_is_shown_as_the_data_gives_it(kg):
    explanation = kg.explain("person:edward-luck", "r2p:statedIn", "doc:un-perspectives-2016")
    assert explanation.rule_label == "property chain"
    spans = [p for p in explanation.premises if p.about_span]
    assert spans and all(not p.asserted and not p.inferred for p in spans)
    assert explanation.as_dict()["premises"][0]["about_span"] in (True, False)
