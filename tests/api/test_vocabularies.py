from projects.enums import DocumentKind


def test_policies_lists_the_five_regulations(world, api):
    response = api(world.dept).get("/api/v1/policies/")
    assert response.status_code == 200
    policies = {p["code"]: p for p in response.json()}
    assert list(policies) == [
        "wendeng-2021",
        "zhaoyuan-2021",
        "laohekou-2024",
        "gongshu-draft",
        "fangchenggang-2022",
    ]
    wendeng = policies["wendeng-2021"]
    assert wendeng["title"] == "威海市文登区“智慧文登”项目建设管理办法"
    assert wendeng["document_number"] == "威文政办字〔2021〕19号"
    assert wendeng["label"] == "威海市文登区（威文政办字〔2021〕19号）"
    assert policies["laohekou-2024"]["document_number"] == "河政规〔2024〕1号"
    assert policies["zhaoyuan-2021"]["title"] == "招远市政务信息系统项目管理实施细则"
    assert policies["gongshu-draft"]["document_number"] == ""
    assert policies["gongshu-draft"]["label"] == "杭州市拱墅区"
    assert all(set(p) >= {"code", "label", "title", "document_number"} for p in policies.values())


def test_document_kinds_are_codes_with_chinese_labels(world, api):
    response = api(world.experts[0].user).get("/api/v1/document-kinds/")
    assert response.status_code == 200
    kinds = {k["code"]: k["label"] for k in response.json()}
    assert kinds["feasibility_report"] == "可行性研究报告"
    assert kinds["construction_plan"] == "建设方案"
    assert kinds["security_assessment"] == "安全测评报告"
    assert len(kinds) == len(DocumentKind.choices)
    assert all(code.isascii() for code in kinds)


def test_construction_kinds_include_the_labels_api_md_names(world, api):
    response = api(world.finance).get("/api/v1/construction-kinds/")
    assert response.status_code == 200
    labels = [k["label"] for k in response.json()]
    for label in (
        "新建机房",
        "服务器及存储设备",
        "部门业务专网",
        "数据共享交换系统",
        "协同办公系统",
        "政府网站",
        "视频会议系统",
        "行政权力运行业务系统",
        "业务应用系统",
        "数据资源建设",
        "运行维护服务",
    ):
        assert label in labels
    codes = {k["label"]: k["code"] for k in response.json()}
    assert codes["新建机房"] == "new_server_room"
    assert all(set(k) == {"code", "label"} for k in response.json())
